/**
 * What the two container-runtime log formats share: each line is one piece of a container's output,
 * with the runtime's exact receive time and the stream, and a long line is split into pieces the
 * reader joins again (CRI's `P` tag; docker json-file's `log` without its `\n`). The rule is the one
 * the collectors apply (promtail's `cri` stage, fluent-bit's `cri` and `docker` multiline parsers,
 * vector's partial-event merger): the pieces of one stream are concatenated, without separator, until
 * the piece that ends the line (`F`, or a `log` ending in `\n`).
 *
 * Here the first piece opens the event (its time is the event's: the line began then) and every
 * further piece is a continuation that re-reads the event with the text so far, so the classifier
 * sees the whole line. A piece of another stream in between (stdout and stderr interleave) is an
 * event of its own; when the interrupted stream then goes on, its rest is an event of its own too,
 * marked `partial_rest` (the event before it is no longer the one to extend), and a line never ended
 * (the file stops inside it) keeps `partial: true`.
 */
import type { LineResult, ParsedEvent, RawTime } from '../types.js';
import { classifyContainerMessage } from '../classify/container.js';

/** One line of a container log, read. */
export interface ContainerPiece {
  time: RawTime;
  stream: string;
  /** The line goes on in the next piece of the same stream. */
  partial: boolean;
  text: string;
}

export type PieceResult = ContainerPiece | { skip: string } | null;

/** Longest joined line kept (the pipeline keeps no more of one event's text either). */
const MAX_JOINED = 64 * 1024;

export function containerEvent(piece: ContainerPiece, text: string, partial: boolean, rest = false): ParsedEvent {
  const c = classifyContainerMessage(text, piece.stream);
  const fields = { ...c.fields };
  if (partial) fields.partial = true;
  if (rest) fields.partial_rest = true;
  return { time: piece.time, source: c.source, kind: c.kind, severity: c.severity, message: c.message ?? text, fields };
}

function opens(prev: ParsedEvent | null, stream: string): boolean {
  return prev !== null && prev.fields.partial === true && prev.fields.stream === stream;
}

/** A line read on its own: a piece that continues the previous event is a bare continuation (the text so far is the reader's). */
export function parsePieceAlone(read: PieceResult, prev: ParsedEvent | null): LineResult | null {
  if (read === null) return null;
  if ('skip' in read) return { type: 'skip', reason: read.skip };
  if (opens(prev, read.stream)) return { type: 'continuation' };
  if (!read.partial && read.text === '') return { type: 'skip', reason: 'an empty line of container output' };
  return { type: 'event', event: containerEvent(read, read.text, read.partial) };
}

/** A fresh reader for one section: it keeps the text of each stream's unfinished line. */
export function pieceJoiner(readPiece: (line: string) => PieceResult): (line: string, prev: ParsedEvent | null) => LineResult | null {
  const open = new Map<string, string>();
  return (line, prev) => {
    const read = readPiece(line);
    if (read === null || 'skip' in read) return parsePieceAlone(read, prev);
    const sofar = open.get(read.stream);
    const continues = sofar !== undefined && opens(prev, read.stream);
    const text = continues ? (sofar + read.text).slice(0, MAX_JOINED) : read.text;
    if (read.partial) open.set(read.stream, text);
    else open.delete(read.stream);
    if (continues) return { type: 'continuation', event: containerEvent(read, text, read.partial) };
    if (!read.partial && text === '') return { type: 'skip', reason: 'an empty line of container output' };
    return { type: 'event', event: containerEvent(read, text, read.partial, sofar !== undefined) };
  };
}
