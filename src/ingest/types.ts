/**
 * The shapes every format descriptor and the ingest pipeline agree on.
 *
 * A format descriptor frames lines (finds the timestamp, host, program and message of one line) and
 * hands the message to a classifier (src/ingest/classify/) that names its kind and extracts fields.
 * Time is returned *as found* (RawTime); aligning it to UTC is the refiners' job (refiners.ts,
 * src/time/), so that every assumption (zone, year, boot instant) is made in one place and recorded.
 */

// The domain types live in src/model/ (every layer imports them); formats keep importing them
// from here, beside the descriptor shapes that are ingest's own.
export { SEVERITIES, type Severity, type FieldValue, type Fields, type ParsedEvent } from '../model/event.js';
export type { RawTime } from '../model/time.js';
import type { ParsedEvent, Fields, Severity } from '../model/event.js';

/** What a descriptor makes of one line. */
export type LineResult =
  | { type: 'event'; event: ParsedEvent }
  /** The line belongs to the previous event (indented syslog continuation, klog Trace[], goroutine dump). */
  | {
      type: 'continuation';
      /**
       * The record re-read with this line, for formats that spread one record over several lines
       * (journalctl -o export: host, program and MESSAGE may follow the line that opened it). It
       * replaces the event's fields and message; its time stays the opening line's.
       */
      event?: ParsedEvent;
      /**
       * The record this line ends belongs to the one before it (a klog `Trace[…]` step written as a
       * journal entry of its own, in `-o export`, where the entry's program and pid are known only
       * once it ends): the pipeline folds the event it opened into the previous event, whose
       * message gains this text, as a plain klog stream or a short journal line folds the step.
       */
      foldIntoPrevious?: string;
    }
  /** The line is this format's, but carries nothing to store; `reason` says why (counted, reported). */
  | { type: 'skip'; reason: string };

/** What a sample line must produce; the suite checks every sample of every format (test/formats.samples.test.ts). */
export interface SampleExpect {
  kind?: string;
  source?: string;
  severity?: Severity;
  host?: string;
  /** For exact times: the ISO-8601 UTC instant. For local times: `MM-DD HH:MM:SS` (and `YYYY-` before it when the line has a year). For uptime: seconds as a decimal string. */
  time?: string;
  fields?: Fields;
  /** true when the sample is a continuation line (it is then parsed after the sample before it). */
  continuation?: boolean;
}

export interface Sample {
  line: string;
  expect: SampleExpect;
}

export interface FormatDescriptor {
  /** Stable name stored with each section: `syslog`, `dmesg-raw`, `klog`, `probe` ... */
  name: string;
  /** One line for docs and `corr formats`. */
  title: string;
  /**
   * How well the first lines of a section fit this format, 0..1. Cheap (a few regex tests per line).
   * Usual rule: the share of non-blank head lines that parse as this format's events.
   */
  detect(head: string[]): number;
  /**
   * Parse one line (without its line ending). `prev` is the last event of this section, or null.
   * Returns null when the line is not this format's at all (the pipeline counts it as skipped).
   */
  parse(line: string, prev: ParsedEvent | null): LineResult | null;
  /**
   * For formats whose lines mean more with what came before (a CSV header names the columns; a
   * probe's earlier poll of the same target makes this one an edge): a fresh parser for one section,
   * used instead of `parse` by the pipeline. `parse` then reads a line on its own.
   */
  reader?(): (line: string, prev: ParsedEvent | null) => LineResult | null;
  /**
   * For output that no content can reveal (`journalctl -o cat`, `dmesg -t`: the bare message): the
   * descriptor to read a section with when its header names such a command, else null. Such a
   * format's detect() is 0; the header is its only evidence.
   */
  declared?(title: string): FormatDescriptor | null;
  /**
   * True when blank lines mean something inside a record (the Journal Export Format separates
   * entries with them, and a binary value may hold them): the pipeline then hands them to the
   * parser instead of skipping them itself.
   */
  readsBlankLines?: boolean;
  /**
   * True when a record may turn out, once it ends, to continue the one before it
   * (`foldIntoPrevious`): the pipeline then holds the previous event back until the next one opens.
   */
  foldsRecords?: boolean;
  /** Real or realistic lines with what they must produce; at least one. */
  samples: Sample[];
}
