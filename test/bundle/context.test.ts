import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { surveyFile, type FileSurvey } from '../../src/ingest/survey.js';
import { buildBundleContext } from '../../src/ingest/context/index.js';
import { tempDir } from '../helpers/cli.js';

async function survey(files: Record<string, string>): Promise<{ dir: string; surveys: FileSurvey[] }> {
  const dir = tempDir('corr-bundle-');
  const surveys: FileSurvey[] = [];
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  for (const name of Object.keys(files).sort()) {
    const s = await surveyFile(join(dir, name));
    if ('sections' in s) surveys.push(s);
  }
  return { dir, surveys };
}

const us = (iso: string) => Date.parse(iso) * 1000;

describe('bundle context', () => {
  it('a capture with no hostname section: the host its syslog lines name', async () => {
    const { dir, surveys } = await survey({
      'output.txt': [
        '===== date =====', 'Tue May 26 19:53:09 UTC 2026',
        '===== dmesg =====', '[    1.000000] Linux version 6.8', '[    2.000000] eth0: link up',
        '===== tail -n 50 /var/log/syslog =====', 'May 26 19:50:00 node-a systemd[1]: Started foo.', 'May 26 19:51:00 node-a kernel: eth0: link up', '',
      ].join('\n'),
    });
    const ctx = buildBundleContext(surveys);
    const h = ctx.hostFor(join(dir, 'output.txt'));
    expect(h.host).toBe('node-a');
    expect(h.fallback).toBe(false);
    expect(h.why).toContain('syslog');
  });

  it('a directory per host, two zones: each file takes its own directory\'s host and zone', async () => {
    const cap = (host: string, zone: string) => ['===== hostname =====', host, '===== timedatectl =====', `       Time zone: ${zone} (X, +0000)`, ''].join('\n');
    const { dir, surveys } = await survey({
      'node-a/output.txt': cap('node-a', 'Europe/Berlin'),
      'node-a/dmesg.txt': '[    1.000000] Linux version 6.8\n',
      'node-b/output.txt': cap('node-b', 'America/New_York'),
      'node-b/auth.log': 'May 26 19:50:00 sshd[12]: Accepted publickey for root\n',
    });
    const ctx = buildBundleContext(surveys);
    expect(ctx.hostFor(join(dir, 'node-a/dmesg.txt')).host).toBe('node-a');
    expect(ctx.zoneFor(join(dir, 'node-a/dmesg.txt'))?.name).toBe('Europe/Berlin');
    expect(ctx.hostFor(join(dir, 'node-b/auth.log')).host).toBe('node-b');
    expect(ctx.zoneFor(join(dir, 'node-b/auth.log'))?.name).toBe('America/New_York');
  });

  it('a dmesg -T file beside one host\'s journal takes that host', async () => {
    const { dir, surveys } = await survey({
      'logs/journal.txt': 'May 26 19:50:00 node-c kernel: eth0: link up\nMay 26 19:50:01 node-c systemd[1]: Started foo.\n',
      'logs/dmesg-T.txt': '[Tue May 26 19:50:00 2026] eth0: link up\n',
    });
    const ctx = buildBundleContext(surveys);
    const h = ctx.hostFor(join(dir, 'logs/dmesg-T.txt'));
    expect(h.host).toBe('node-c');
    expect(h.why).toContain('only host');
  });

  it('no hostname anywhere: each file a machine of its own, with a warning', async () => {
    const { dir, surveys } = await survey({
      'x/a.log': '[    1.000000] Linux version 6.8\n',
      'y/b.log': '[    1.000000] Linux version 6.8\n',
    });
    const ctx = buildBundleContext(surveys);
    const a = ctx.hostFor(join(dir, 'x/a.log'));
    const b = ctx.hostFor(join(dir, 'y/b.log'));
    expect(a.host).not.toBe(b.host);
    expect(a.warnings[0]).toContain('--host');
  });

  it('a journal header states the year: a reference before the newest line and the mtime', async () => {
    const { dir, surveys } = await survey({
      'j.txt': '-- Logs begin at Wed 2020-03-25 12:03:18 UTC, end at Wed 2020-03-25 14:00:00 UTC. --\nMar 25 12:03:18 host1 kernel: Linux version 5.4\n',
    });
    const ctx = buildBundleContext(surveys);
    const refs = ctx.referencesFor(join(dir, 'j.txt'), 'UTC');
    expect(refs[0]!.us).toBe(us('2020-03-25T14:00:00Z'));
    expect(refs[0]!.why).toContain('journal header');
  });

  it('a yearless log takes the capture time of the same host\'s capture beside it', async () => {
    const { dir, surveys } = await survey({
      'd/output.txt': '===== date =====\nTue May 26 19:53:09 UTC 2026\n===== hostname =====\nnode-a\n',
      'd/auth.log': 'May 26 19:50:00 node-a sshd[12]: Accepted publickey for root\n',
    });
    const ctx = buildBundleContext(surveys);
    const refs = ctx.referencesFor(join(dir, 'd/auth.log'), 'UTC');
    expect(refs[0]!.us).toBe(us('2026-05-26T19:53:09Z'));
    expect(refs[0]!.why).toContain('same host node-a');
  });

  it('a probe target with user and port matches the bundle host', async () => {
    const { surveys } = await survey({
      'n/output.txt': '===== hostname =====\nedge-07.lab.example\n',
      'watch.log': 'ts=2026-05-27T04:41:12Z target=root@EDGE-07:22 state=dead exit=1\nts=2026-05-27T04:42:12Z target=root@EDGE-07:22 state=alive exit=0\n',
    });
    const ctx = buildBundleContext(surveys);
    expect(ctx.probeHost('root@EDGE-07:22')).toBe('edge-07.lab.example');
    // A probe's target is not the host of the machine that ran it.
    expect(ctx.files.get([...ctx.files.keys()].find((k) => k.endsWith('watch.log'))!)!.lineHosts).toEqual([]);
  });

  it('boot evidence: who -b and btime in one capture, the second-precise one wins', async () => {
    const { dir, surveys } = await survey({
      'o.txt': '===== date =====\nMon May 27 02:00:00 UTC 2024\n===== who -b =====\n         system boot  2024-05-27 01:00\n===== cat /proc/stat =====\nbtime 1716771633\n',
    });
    const ctx = buildBundleContext(surveys);
    const ev = ctx.bootEvidence(join(dir, 'o.txt'), 'UTC');
    expect(ev.current.map((c) => c.kind).sort()).toEqual(['btime', 'who-b']);
    const { placeBoot } = await import('../../src/time/boot-placement.js');
    const p = placeBoot(ev.current);
    expect(p.anchorUs).toBe(1716771633 * 1e6); // 01:00:33Z, not 01:00:00
    expect(p.precisionS).toBe(1);
  });
});
