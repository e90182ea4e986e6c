/** Detection by region through the real CLI, on a generated `docker logs kubelet` capture. */
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

const LEVELS = ['I', 'W', 'E'];

/** 600 lines of `set -x` trace, then 1,600 klog lines from kubelet (some with Trace[] steps). */
function kubeletCapture(): { text: string; klogRecords: number; traceSteps: number } {
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) lines.push(i % 5 === 0 ? `++ cat /etc/kubernetes/flags.${i}` : `+ KUBELET_ARG_${i}=--node-ip=10.0.${i % 250}.7`);
  let records = 0;
  let steps = 0;
  for (let i = 0; lines.length < 2200; i++) {
    const s = i % 3600;
    const stamp = `05${String(26 + Math.floor(i / 3600)).padStart(2, '0')} 17:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String((i * 7919) % 1e6).padStart(6, '0')}`;
    lines.push(`${LEVELS[i % 3]}${stamp}    2211 kubelet.go:${1000 + (i % 400)}] "SyncLoop (PLEG): event for pod" pod="kube-system/coredns-${i}"`);
    records++;
    if (i % 50 === 0 && lines.length < 2200) {
      lines.push(`Trace[${100000 + i}]: ---"Objects listed" 1203ms (17:00:00.000)`);
      steps++;
    }
  }
  return { text: lines.join('\n') + '\n', klogRecords: records, traceSteps: steps };
}

describe('a shell trace followed by klog (docker logs kubelet)', () => {
  const dir = tempDir();
  const db = join(dir, 'store.db');
  const file = join(dir, 'kubelet.log');
  const capture = kubeletCapture();
  let files: any[];

  beforeAll(() => {
    writeFileSync(file, capture.text);
    const r = corrJson(['ingest', file, '--db', db, '--tz', 'UTC', '--year', '2026']);
    expect(r.code).toBe(0);
    files = r.json.files;
  });

  it('ingests every klog line as an event and reports the trace as skipped lines with their reason', () => {
    expect(files.map((f) => [f.format, f.lines, f.events, f.continuations, f.skipped])).toEqual([
      [null, 600, 0, 0, 600],
      ['klog', 1600, capture.klogRecords, capture.traceSteps, 0],
    ]);
    expect(files[0].warnings).toContain('600 lines skipped: not a log (a shell trace (set -x output)) (first at line 1)');
    expect(files[1].assumptions[0]).toBe('region 2 of 2: lines 601-2200 read as klog; the format changes at line 601');
    expect(files[1].first).toBe('2026-05-26T17:00:00.000Z');
  });

  it('corr sources lists the regions of the file', () => {
    const r = corrJson(['sources', '--db', db]);
    expect(r.code).toBe(0);
    const rows = r.json.sources.filter((s: any) => s.path === file);
    expect(rows.map((s: any) => [s.format, s.lines, s.assumptions[0]])).toEqual([
      [null, 600, 'region 1 of 2: lines 1-600 no log format explains them (a shell trace (set -x output))'],
      ['klog', 1600, 'region 2 of 2: lines 601-2200 read as klog; the format changes at line 601'],
    ]);
  });

  it('the events keep their line numbers in the whole file', () => {
    const r = corrJson(['timeline', '--db', db, '--limit', '1']);
    expect(r.code).toBe(0);
    const row = (r.json.events ?? r.json.rows ?? r.json)[0];
    expect(row.line).toBe(601);
    expect(row.fields.file_line).toBe('kubelet.go:1000');
  });
});

describe('a short log after 600 lines no format explains', () => {
  it('gives 5 syslog events and 600 skipped lines with their reason', () => {
    const dir = tempDir();
    const db = join(dir, 'store.db');
    const file = join(dir, 'notes-then-auth.log');
    const prose = Array.from({ length: 600 }, (_, i) => `step ${i}: the operator copied what the console printed, ${i * 3} items checked`);
    const auth = [
      'May 26 17:18:04 kai-server sshd[4242]: Failed password for invalid user admin from 60.163.139.198 port 51234 ssh2',
      'May 26 17:18:06 kai-server sshd[4242]: Failed password for invalid user admin from 60.163.139.198 port 51240 ssh2',
      'May 26 17:18:09 kai-server sshd[4242]: Connection closed by invalid user admin 60.163.139.198 port 51240 [preauth]',
      'May 26 17:18:30 kai-server CRON[311]: (root) CMD (run-parts /etc/cron.hourly)',
      'May 26 17:19:01 kai-server kernel: [ 7137.102298] br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
    ];
    writeFileSync(file, [...prose, ...auth].join('\n') + '\n');
    const r = corrJson(['ingest', file, '--db', db, '--tz', 'UTC', '--year', '2026']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.files.map((f: any) => [f.format, f.lines, f.events, f.continuations, f.skipped])).toEqual([
      [null, 600, 0, 0, 600],
      ['syslog', 5, 5, 0, 0],
    ]);
    expect(r.json.files[0].warnings[0]).toMatch(/^600 lines skipped: not a log \(text that no log format explains/);
    const q = corrJson(['sql', '--db', db, 'SELECT line, ts_us, host, kind, fields FROM events WHERE line = 602']);
    const [row] = q.json.rows;
    expect({ ...row, fields: JSON.parse(row.fields) }).toMatchObject({
      line: 602, ts_us: Date.UTC(2026, 4, 26, 17, 18, 6) * 1000, host: 'kai-server', kind: 'sshd.failed_password',
      fields: { ip: '60.163.139.198', user: 'admin', port: 51240 },
    });
  });
});
