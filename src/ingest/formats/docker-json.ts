/**
 * docker's json-file log driver (`/var/lib/docker/containers/<id>/<id>-json.log`), one JSON object a
 * line: `{"log":"Failed to connect ...\n","stream":"stderr","time":"2026-05-26T17:18:04.123456789Z"}`
 * (with `attrs` when labels are logged). `time` is RFC 3339 with nanoseconds and an offset: exact (cut
 * to microseconds). docker splits a line longer than 16 KiB into pieces whose `log` does not end in
 * `\n`; the next pieces of the same stream continue it (container-log.ts joins them).
 */
import type { FormatDescriptor } from '../types.js';
import { parseIsoInstantUs } from './go-log-records.js';
import { isoStampProblem } from './iso-calendar.js';
import { parseJsonObject } from './json-object.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';
import { parsePieceAlone, pieceJoiner, type PieceResult } from './container-log.js';

export function readDockerPiece(raw: string): PieceResult {
  const text = stripCarriageReturn(raw).trim();
  // Cheap filter before JSON.parse: detection runs this on every head line of every section.
  if (!text.startsWith('{') || !text.includes('"log"') || !text.includes('"time"')) return null;
  const record = parseJsonObject(text);
  if (record === null || typeof record.log !== 'string' || typeof record.time !== 'string') return null;
  const stream = record.stream === 'stdout' || record.stream === 'stderr' ? record.stream : null;
  if (stream === null) return null;
  const utcUs = parseIsoInstantUs(record.time);
  if (utcUs === null) return { skip: isoStampProblem(record.time) ?? `unreadable docker log time ${JSON.stringify(record.time.slice(0, 40))}` };
  const log = record.log;
  const partial = !log.endsWith('\n');
  const body = partial ? log : log.endsWith('\r\n') ? log.slice(0, -2) : log.slice(0, -1);
  return { time: { kind: 'exact', utcUs }, stream, partial, text: body };
}

export const dockerJsonFormat: FormatDescriptor = {
  name: 'docker-json',
  title: 'docker json-file logs (`{"log":"...\\n","stream":"stderr","time":"...Z"}`, exact)',
  detect: (head) => shareOfLines(head, (line) => {
    const r = readDockerPiece(line);
    return r !== null && !('skip' in r) ? 'record' : 'foreign';
  }),
  parse: (line, prev) => parsePieceAlone(readDockerPiece(line), prev),
  reader: () => pieceJoiner(readDockerPiece),
  samples: [
    // The json-file shape from SumoLogic's sumologic-kubernetes-collection docs (deploy/docs/ContainerLogs.md).
    {
      line: '{"log":"2021-02-19T12:09:26.1613736566 this is the first line\\n","stream":"stdout","time":"2021-02-19T12:09:26.739226803Z"}',
      expect: { kind: 'container.stdout', source: 'container', time: '2021-02-19T12:09:26.739Z', fields: { stream: 'stdout' } },
    },
    {
      line: '{"log":"time=\\"2026-05-26T17:57:40-07:00\\" level=error msg=\\"failed to renew lease kube-system/k3s: timed out waiting for the condition\\"\\n","stream":"stderr","time":"2026-05-27T00:57:40.000812345Z"}',
      expect: { kind: 'k3s.lease_failure', source: 'k3s', severity: 'error', time: '2026-05-27T00:57:40.000Z', fields: { stream: 'stderr', lease: 'kube-system/k3s' } },
    },
    // A line longer than 16 KiB, split by docker: the piece without `\n` opens the event, the next ends it.
    {
      line: '{"log":"Failed to connect to backend 10.43.0.10:5432 after 3 attempts; ","stream":"stderr","time":"2026-05-27T00:18:04.123456789Z"}',
      expect: { kind: 'container.stderr', severity: 'warning', fields: { stream: 'stderr', partial: true } },
    },
    {
      line: '{"log":"giving up\\n","stream":"stderr","time":"2026-05-27T00:18:04.123460000Z"}',
      expect: { continuation: true },
    },
  ],
};
