/** Probe logs of every shape through the real CLI: counts, and the fields correlation needs. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrJson, tempDir } from '../helpers/cli.js';

const SHAPES: Record<string, string[]> = {
  'monitor.jsonl': [
    '{"time":"2026-05-27T04:40:00Z","host":"kai-server","ok":true,"rc":0,"rtt":"0.012s"}',
    '{"time":"2026-05-27T04:40:30Z","host":"kai-server","ok":false,"rc":255,"rtt":"3.0s","error":"i/o timeout"}',
    '{"time":"2026-05-27T04:41:00Z","host":"kai-server","ok":true,"rc":0,"rtt":"0.011s"}',
  ],
  'uptime.csv': ['timestamp,target,result,ms', '2026-05-27T04:40:00Z,kai-server,ok,12', '2026-05-27T04:40:30Z,kai-server,fail,3000', '2026-05-27T04:41:00Z,kai-server,ok,11'],
  'watch.logfmt': [
    'ts=2026-05-27T04:40:00Z target=kai-server state=up exit=0 latency_ms=12',
    'ts=2026-05-27T04:40:30Z target=kai-server state=down exit=1 latency_ms=3000 err="dial tcp kai-server:22: i/o timeout"',
    'ts=2026-05-27T04:41:00Z target=kai-server state=up exit=0 latency_ms=11',
  ],
  'ping.txt': ['2026-05-27T04:40:00+00:00 kai-server up 12ms exit=0', '2026-05-27T04:40:30+00:00 kai-server down 3000ms exit=1', '2026-05-27T04:41:00+00:00 kai-server up 11ms exit=0'],
  'corr-probe.jsonl': [
    '{"ts":"2026-05-27T04:40:00.000Z","target":"ssh://kai-server:22","check":"ssh","outcome":"up","latency_ms":12,"error":null,"detail":null,"seen":"SSH-2.0-OpenSSH_9.6","digest":"sha256:1","version":"corr 0.1.0"}',
    '{"ts":"2026-05-27T04:40:30.000Z","target":"ssh://kai-server:22","check":"ssh","outcome":"down","latency_ms":3000,"error":"timeout","detail":"no connection within 3000 ms","seen":null,"digest":null,"version":"corr 0.1.0","exit":1}',
    '{"ts":"2026-05-27T04:40:30.000Z","record":"change","target":"ssh://kai-server:22","check":"ssh","what":"new-failure","from":null,"to":"down/timeout/-","detail":"first failure: down (timeout)","version":"corr 0.1.0"}',
    '{"ts":"2026-05-27T04:41:00.000Z","target":"ssh://kai-server:22","check":"ssh","outcome":"up","latency_ms":11,"error":null,"detail":null,"seen":"SSH-2.0-OpenSSH_9.6","digest":"sha256:1","version":"corr 0.1.0"}',
  ],
};

describe('probe logs through the CLI', () => {
  const dir = tempDir();
  const db = join(tempDir(), 's.db');
  for (const [name, lines] of Object.entries(SHAPES)) writeFileSync(join(dir, name), lines.join('\n') + '\n');
  const ingest = corrJson(['ingest', dir, '--db', db]);

  it('reads every shape as the probe format, every record an event', () => {
    expect(ingest.code).toBe(0);
    const byName = Object.fromEntries(ingest.json.files.map((f: any) => [f.path.split('/').pop(), [f.format, f.lines, f.events, f.skipped]]));
    expect(byName).toEqual({
      'corr-probe.jsonl': ['probe', 4, 4, 0],
      'monitor.jsonl': ['probe', 3, 3, 0],
      'ping.txt': ['probe', 3, 3, 0],
      'uptime.csv': ['probe', 4, 3, 1],
      'watch.logfmt': ['probe', 3, 3, 0],
    });
  });

  it('each poll log becomes down and up edges on kai-server, with target, state, exit, latency and the interval', () => {
    // corr sql, not the timeline: the timeline collapses alike rows into bursts.
    const r = corrJson(['sql', '--db', db, "SELECT f.path AS file, e.line, e.host, e.kind, e.fields FROM events e JOIN sections s ON s.id = e.section_id JOIN files f ON f.id = s.file_id ORDER BY f.path, e.line"]);
    expect(r.code, r.stderr).toBe(0);
    const rows: any[] = r.json.rows.map((e: any) => ({ ...e, fields: JSON.parse(e.fields) }));
    for (const name of Object.keys(SHAPES)) {
      const mine = rows.filter((e) => e.file.endsWith(name) && e.kind !== 'probe.change');
      expect(mine.map((e) => [e.host, e.kind, e.fields.state]), name).toEqual([
        ['kai-server', 'probe.state', 'up'],
        ['kai-server', 'probe.transition', 'down'],
        ['kai-server', 'probe.transition', 'up'],
      ]);
      expect(mine[1].fields.latency_ms, name).toBe(3000);
      expect(mine[1].fields.interval_s, name).toBe(30);
      expect(typeof mine[1].fields.target, name).toBe('string');
      if (name !== 'uptime.csv') expect(mine[1].fields.exit, name).toBeGreaterThan(0);
    }
    const change = rows.find((e) => e.kind === 'probe.change');
    expect(change.fields).toMatchObject({ what: 'new-failure', change_to: 'down/timeout/-' });
  });
});
