/**
 * CRI container logs, as containerd (k3s) and CRI-O write them under `/var/log/pods/<ns>_<pod>_<uid>/
 * <container>/0.log` (and the `/var/log/containers/*.log` links):
 * `2026-05-26T17:18:04.123456789Z stdout F message`. The stamp is RFC 3339 with nanoseconds and an
 * offset (`Z`, or the node's own `+09:00`), so the instant is exact (cut to microseconds); then the
 * stream, then the tags: `F` (the line is whole) or `P` (partial: the runtime split a long line, and
 * the next `P`/`F` pieces of the same stream continue it; container-log.ts joins them).
 * The message is classified by container-log.ts (a klog line of kube-apiserver keeps its k3s kind).
 */
import type { FormatDescriptor } from '../types.js';
import { parseIsoStamp } from './syslog.js';
import { isoStampProblem } from './iso-calendar.js';
import { shareOfLines, stripCarriageReturn } from './line-share.js';
import { parsePieceAlone, pieceJoiner, type PieceResult } from './container-log.js';

/** After the stamp: ` stdout F` / ` stderr P`, tags possibly followed by `:`-joined others (the CRI spec leaves room). */
const STREAM_TAG = /^ (stdout|stderr) ([FP])(?::[A-Za-z0-9:]{0,32})?(?: |$)/;

function looksLikeCri(line: string): boolean {
  return line.length > 30 && line.charCodeAt(4) === 0x2d && line.charCodeAt(10) === 0x54 && (line.includes(' stdout ') || line.includes(' stderr '));
}

export function readCriPiece(raw: string): PieceResult {
  const line = stripCarriageReturn(raw);
  if (!looksLikeCri(line)) return null;
  const stamp = parseIsoStamp(line);
  if (!stamp) {
    const problem = isoStampProblem(line);
    return problem && STREAM_TAG.test(line.slice(line.indexOf(' '), line.indexOf(' ') + 40)) ? { skip: problem } : null;
  }
  const m = STREAM_TAG.exec(line.slice(stamp.length, stamp.length + 48));
  if (!m) return null;
  // CRI stamps always carry an offset; without one the line is something else that happens to look alike.
  if (stamp.time.kind !== 'exact') return null;
  return { time: stamp.time, stream: m[1]!, partial: m[2] === 'P', text: line.slice(stamp.length + m[0].length) };
}

export const criFormat: FormatDescriptor = {
  name: 'cri',
  title: 'CRI container logs (containerd/k3s, CRI-O: `2026-05-26T17:18:04.123456789Z stdout F msg`, exact)',
  detect: (head) => shareOfLines(head, (line) => {
    const r = readCriPiece(line);
    return r !== null && !('skip' in r) ? 'record' : 'foreign';
  }),
  parse: (line, prev) => parsePieceAlone(readCriPiece(line), prev),
  reader: () => pieceJoiner(readCriPiece),
  samples: [
    // promtail's `cri` stage documentation (grafana/loki docs, "cri" stage example).
    {
      line: '2019-04-30T02:12:41.8443515Z stdout F message',
      expect: { kind: 'container.stdout', source: 'container', severity: 'info', time: '2019-04-30T02:12:41.844Z', fields: { stream: 'stdout' } },
    },
    // kube-apiserver's klog line in its pod log: the same kind as from the journal.
    {
      line: '2026-05-26T17:57:40.412300123Z stderr F E0526 17:57:40.412233       1 writers.go:118] apiserver was unable to write a JSON response: http: Handler timeout',
      expect: { kind: 'k3s.handler_timeout', source: 'k3s', severity: 'error', time: '2026-05-26T17:57:40.412Z', fields: { stream: 'stderr', file_line: 'writers.go:118', part: 'write' } },
    },
    // A long line split by containerd: the `P` piece opens the event, the `F` piece ends it.
    {
      line: '2026-05-26T17:18:04.100000000Z stdout P {"level":"info","msg":"first half of a long ',
      expect: { kind: 'container.stdout', time: '2026-05-26T17:18:04.100Z', fields: { stream: 'stdout', partial: true } },
    },
    {
      line: '2026-05-26T17:18:04.100000500Z stdout F line"}',
      expect: { continuation: true },
    },
    // A node whose runtime writes its own offset (the shape of a containerd 2.1 pod log quoted in a fluent-bit troubleshooting note).
    {
      line: '2025-12-18T02:29:52.760924368+09:00 stderr F {"level":"info","msg":"Attempting to instrument"}',
      expect: { source: 'container', time: '2025-12-17T17:29:52.760Z', fields: { stream: 'stderr' } },
    },
  ],
};
