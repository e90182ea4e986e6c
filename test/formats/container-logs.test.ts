/**
 * CRI (containerd/k3s pod logs) and docker json-file logs: the real CLI on small files, the joining
 * of split lines, the k3s kinds of a Go header inside, and hostile lines.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { corrJson, FIXTURES, tempDir } from '../helpers/cli.js';
import { criFormat } from '../../src/ingest/formats/cri.js';
import { dockerJsonFormat } from '../../src/ingest/formats/docker-json.js';
import { klog } from '../../src/ingest/formats/klog.js';
import { SEVERITIES, type LineResult, type ParsedEvent } from '../../src/ingest/types.js';

function ingest(file: string, args: string[] = []) {
  const db = join(tempDir(), 's.db');
  const r = corrJson(['ingest', file, '--db', db, ...args]);
  expect(r.code, r.stderr).toBe(0);
  const rows = corrJson(['sql', '--db', db, 'SELECT line, ts_us, source, kind, severity, message, fields FROM events ORDER BY line']).json.rows as any[];
  return { files: r.json.files as any[], rows: rows.map((row) => ({ ...row, severity: SEVERITIES[row.severity], ts: new Date(Math.floor(row.ts_us / 1000)).toISOString(), fields: JSON.parse(row.fields ?? '{}') })) };
}

/** Feed lines through a fresh reader as the pipeline does (prev = the event being built). */
function readAll(format: typeof criFormat, lines: string[]): { results: LineResult[]; events: ParsedEvent[] } {
  const read = format.reader!();
  const results: LineResult[] = [];
  const events: ParsedEvent[] = [];
  for (const line of lines) {
    const r = read(line, events.at(-1) ?? null)!;
    results.push(r);
    if (r.type === 'event') events.push(r.event);
    if (r.type === 'continuation' && r.event) events[events.length - 1] = { ...r.event, time: events.at(-1)!.time };
  }
  return { results, events };
}

describe('CRI container logs', () => {
  it('a kube-apiserver pod log through the CLI: exact times, k3s kinds, a line split in three joined, an empty line skipped', () => {
    const { files, rows } = ingest(join(FIXTURES, 'formats', 'cri-kube-apiserver-0.log'));
    expect(files.map((f) => [f.format, f.lines, f.events, f.continuations, f.skipped])).toEqual([['cri', 7, 4, 2, 1]]);
    expect(files[0].warnings.join(' ')).toContain('an empty line of container output');
    expect(rows.map((r) => [r.line, r.ts, r.kind, r.severity])).toEqual([
      [1, '2026-05-26T17:57:40.412Z', 'k3s.handler_timeout', 'error'],
      [2, '2026-05-26T17:57:40.412Z', 'k3s.handler_timeout', 'error'],
      [3, '2026-05-26T17:57:41.000Z', 'container.stdout', 'info'],
      [7, '2026-05-26T17:57:43.500Z', 'k3s.connection_refused', 'warning'],
    ]);
    expect(rows[0].fields).toMatchObject({ stream: 'stderr', part: 'write', file_line: 'writers.go:118', klog_time: '05-26 17:57:40.412233' });
    expect(rows[1].fields).toMatchObject({ part: 'status' });
    expect(rows[2].message).toBe('{"level":"info","msg":"a long line split twice by the runtime ends here"}');
    expect(rows[2].fields.partial).toBeUndefined();
    expect(rows[3].fields).toMatchObject({ port: 6443, address: '127.0.0.1' });
  });

  it('gives a klog message the kind, severity and fields the klog format gives it', () => {
    const body = 'E0526 17:57:40.412233    1187 writers.go:118] apiserver was unable to write a JSON response: http: Handler timeout';
    const fromCri = criFormat.parse(`2026-05-26T17:57:40.412300123Z stderr F ${body}`, null);
    const fromKlog = klog.parse(body, null);
    if (fromCri?.type !== 'event' || fromKlog?.type !== 'event') throw new Error('expected events');
    expect([fromCri.event.kind, fromCri.event.severity, fromCri.event.message]).toEqual([fromKlog.event.kind, fromKlog.event.severity, fromKlog.event.message]);
    expect(fromCri.event.fields).toMatchObject({ ...fromKlog.event.fields, stream: 'stderr' });
  });

  it('takes the level of an application line in a pod log as its severity, the runtime\'s stamp as its instant', () => {
    const r = criFormat.parse('2026-05-27T00:18:09.500000000Z stderr F 2026-05-26 17:18:09,456 - worker - ERROR - cannot reach redis', null);
    if (r?.type !== 'event') throw new Error('expected an event');
    expect(r.event).toMatchObject({ kind: 'container.stderr', severity: 'error', time: { kind: 'exact', utcUs: Date.UTC(2026, 4, 27, 0, 18, 9, 500) * 1000 }, fields: { stream: 'stderr', level: 'error' } });
    expect(r.event.message).toBe('2026-05-26 17:18:09,456 - worker - ERROR - cannot reach redis');
  });

  it('joins pieces per stream: a piece of the other stream in between leaves the rest an event of its own', () => {
    const { results, events } = readAll(criFormat, [
      '2026-05-26T17:18:04.000000000Z stdout P half of ',
      '2026-05-26T17:18:04.000000100Z stderr F something else',
      '2026-05-26T17:18:04.000000200Z stdout F a line',
      '2026-05-26T17:18:05.000000000Z stdout P never ended',
    ]);
    expect(results.map((r) => r.type)).toEqual(['event', 'event', 'event', 'event']);
    expect(events.map((e) => [e.message, e.fields.partial ?? null, e.fields.partial_rest ?? null])).toEqual([
      ['half of ', true, null],
      ['something else', null, null],
      ['a line', null, true],
      ['never ended', true, null],
    ]);
  });

  it('refuses lines that are not CRI, skips an impossible stamp with its reason, and is not detected on look-alikes', () => {
    expect(criFormat.parse('2026-05-26T17:18:04.123Z kai-server sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2', null)).toBeNull();
    expect(criFormat.parse('2026-05-26T17:18:04.123 stdout F no offset', null)).toBeNull();
    expect(criFormat.parse('2026-05-26T17:18:04.123Z stdout X bad tag', null)).toBeNull();
    expect(criFormat.parse('2026-02-29T17:18:04.123Z stdout F leap?', null)).toEqual({ type: 'skip', reason: expect.stringContaining('day 29 does not exist in 2026-02') });
    expect(criFormat.detect(['2026-05-26T17:18:04.123456-07:00 kai-server sshd[123]: Accepted publickey for kai from 100.64.0.7 port 50522 ssh2'])).toBe(0);
  });

  it('parses and detects a 100k-character hostile line in milliseconds', () => {
    for (const line of [
      `2026-05-26T17:18:04.123Z stdout F ${'a'.repeat(100_000)}`,
      `2026-05-26T17:18:04.123Z stderr F E0526 ${' '.repeat(100_000)}`,
      `2026-05-26T17:18:04.123Z stdout F 1.2.3.4 - - [${'['.repeat(100_000)}`,
      `2026-05-26T17:18:04.123Z stdout F time="${'"'.repeat(100_000)}`,
      `${'2026-05-26T17:18:04.123Z stdout '.repeat(3000)}`,
    ]) {
      const start = performance.now();
      criFormat.parse(line, null);
      criFormat.detect([line]);
      expect(performance.now() - start).toBeLessThan(100);
    }
  });
});

describe('docker json-file logs', () => {
  it('a container log through the CLI: exact times, a split line joined, an empty line skipped, an access line read', () => {
    const { files, rows } = ingest(join(FIXTURES, 'formats', 'docker-json.log'));
    expect(files.map((f) => [f.format, f.lines, f.events, f.continuations, f.skipped])).toEqual([['docker-json', 5, 3, 1, 1]]);
    expect(rows.map((r) => [r.line, r.ts, r.kind, r.severity])).toEqual([
      [1, '2026-05-27T00:18:00.000Z', 'container.stdout', 'info'],
      [2, '2026-05-27T00:18:04.123Z', 'container.stderr', 'warning'],
      [5, '2026-05-27T00:18:06.000Z', 'http.request', 'info'],
    ]);
    expect(rows[1].message).toBe('Failed to connect to backend 10.43.0.10:5432 after 3 attempts; giving up');
    expect(rows[2].fields).toMatchObject({ ip: '10.42.0.1', method: 'GET', path: '/healthz', status: 200, bytes: 2, agent: 'kube-probe/1.30', stream: 'stdout' });
  });

  it('refuses JSON that is not docker json-file and skips an unreadable time with its reason', () => {
    expect(dockerJsonFormat.parse('{"__REALTIME_TIMESTAMP":"1779851884000000","MESSAGE":"x"}', null)).toBeNull();
    expect(dockerJsonFormat.parse('{"log":"x\\n","stream":"stdin","time":"2026-05-27T00:18:00Z"}', null)).toBeNull();
    expect(dockerJsonFormat.parse('{"log":"x\\n","stream":"stdout","time":"2026-02-30T00:18:00Z"}', null)).toEqual({ type: 'skip', reason: expect.stringContaining('day 30 does not exist') });
    expect(dockerJsonFormat.parse('{"log":"x\\n","stream":"stdout","time":"yesterday"}', null)).toEqual({ type: 'skip', reason: 'unreadable docker log time "yesterday"' });
  });

  it('parses a 100k-character hostile line in milliseconds', () => {
    const huge = JSON.stringify({ log: `${'\\'.repeat(50_000)}${'"'.repeat(50_000)}\n`, stream: 'stderr', time: '2026-05-27T00:18:00Z' });
    for (const line of [huge, `{"log":"${'a'.repeat(100_000)}`, `{"log" "time" ${'{'.repeat(100_000)}`]) {
      const start = performance.now();
      dockerJsonFormat.parse(line, null);
      dockerJsonFormat.detect([line]);
      expect(performance.now() - start).toBeLessThan(100);
    }
  });
});
