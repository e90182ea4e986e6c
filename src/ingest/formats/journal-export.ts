/**
 * `journalctl -o export`, the Journal Export Format (systemd.io/JOURNAL_EXPORT_FORMATS): one entry
 * is a run of `KEY=value` lines ended by a blank line. A value that is not plain text (it holds a
 * newline, as a multi-line MESSAGE does, or bytes that are not UTF-8) is written as the field name
 * alone on its line, then its size as a 64-bit little-endian integer, the bytes, and a newline.
 * journalctl writes `__CURSOR`, `__REALTIME_TIMESTAMP` (µs since the epoch, UTC),
 * `__MONOTONIC_TIMESTAMP` (µs since boot) and `_BOOT_ID` first, then the entry's own fields.
 *
 * One entry is one event. The line that gives the event its time (`__REALTIME_TIMESTAMP`) is the
 * event's line; the cursor before it is skipped (it says where the entry sat in the journal file),
 * and every field line after it is a continuation that re-reads the entry with that field, so host
 * (`_HOSTNAME`), program (`SYSLOG_IDENTIFIER`), pid and MESSAGE are those of the whole entry
 * whatever order they come in. `__MONOTONIC_TIMESTAMP` is carried as a second, kernel clock
 * (`uptimeUs`) for boot anchoring, as `-o short-monotonic`'s stamp is; `_BOOT_ID` is kept as the
 * field `boot_id`.
 *
 * The sample entry is the one systemd's documentation of the format shows (gdm's session worker on
 * host `epsilon`), and the binary MESSAGE is laid out as the document describes it.
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { shareOfLines, stripCarriageReturn, type LineVerdict } from './line-share.js';
import { integerField, journalRecordEvent } from './journal-json.js';
import { NUL_SYMBOL } from '../reader.js';
import { continuesGoRecord } from './syslog.js';

// Field names: upper-case letters, digits and underscores, not starting with a digit (sd-journal).
const TEXT_FIELD = /^([A-Z_][A-Z0-9_]{0,63})=/;
const BINARY_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
const REALTIME = /^__REALTIME_TIMESTAMP=\d{1,17}$/;
const CURSOR = /^__CURSOR=s=[0-9a-f]{32};/;

/** A binary value being read: its 8-byte size, then its bytes (lines joined by the newlines between them). */
interface BinaryValue {
  name: string;
  size: number[];
  /** Bytes the value still lacks; null when its size could not be read (then it ends at the next field or blank line). */
  need: number | null;
  data: string[];
}

interface Entry {
  record: Record<string, string>;
  event: ParsedEvent | null;
  binary: BinaryValue | null;
}

/** How many bytes a line stood for: the reader shows a NUL as U+2400 and a byte that is not UTF-8 as U+FFFD. */
function byteLength(text: string): { bytes: number; exact: boolean } {
  let bytes = Buffer.byteLength(text, 'utf8');
  let exact = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === NUL_SYMBOL) bytes -= 2;
    else if (c === '\ufffd') {
      bytes -= 2;
      exact = false;
    }
  }
  return { bytes, exact };
}

/** The bytes of the start of a line, up to `n`: null for a byte the decoding lost (U+FFFD). */
function leadingBytes(text: string, n: number): { bytes: (number | null)[]; used: number } {
  const bytes: (number | null)[] = [];
  let used = 0;
  while (bytes.length < n && used < text.length) {
    const cp = text.codePointAt(used)!;
    const ch = String.fromCodePoint(cp);
    if (ch === NUL_SYMBOL) bytes.push(0);
    else if (ch === '\ufffd') bytes.push(null);
    else for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    used += ch.length;
  }
  return { bytes, used };
}

/** Larger values are not a journal field's (journald refuses fields beyond 64 MiB by default). */
const MAX_BINARY_SIZE = 2 ** 31;

/**
 * Feed one line to a binary value. Returns 'more' while the value needs further lines, or the
 * line's fate when the value is complete: 'done' (the line was its last), 'ended-before' (its
 * size was unreadable and this line opens the next field or ends the entry).
 */
function feedBinary(b: BinaryValue, line: string): 'more' | 'done' | 'ended-before' {
  if (b.size.length < 8) {
    // A newline between two lines of the size is one of its bytes (a size of 10 is `\n` then seven NULs).
    if (b.size.length > 0 || b.data.length > 0) b.size.push(0x0a);
    if (b.size.length >= 8) {
      b.data.push(line);
    } else {
      const lead = leadingBytes(line, 8 - b.size.length);
      b.size.push(...(lead.bytes as number[]));
      if (b.size.length < 8) {
        b.data.push('');
        return 'more';
      }
      b.data.push(line.slice(lead.used));
    }
    b.data = [b.data[b.data.length - 1]!];
    const size = b.size.some((x) => x === null) ? null : b.size.reduce((acc, x, i) => acc + x * 2 ** (8 * i), 0);
    b.need = size !== null && size <= MAX_BINARY_SIZE ? size : null;
    if (b.need !== null) {
      const first = byteLength(b.data[0]!);
      if (!first.exact) b.need = null;
      else b.need -= first.bytes;
    }
    return b.need !== null && b.need <= 0 ? 'done' : 'more';
  }
  if (b.need === null) {
    if (line === '' || TEXT_FIELD.test(line) || BINARY_NAME.test(line)) return 'ended-before';
    b.data.push(line);
    return 'more';
  }
  const n = byteLength(line);
  b.data.push(line);
  b.need -= 1 + n.bytes;
  if (!n.exact) b.need = null;
  return b.need !== null && b.need <= 0 ? 'done' : 'more';
}

const BLANK: LineResult = { type: 'skip', reason: 'blank line' };

/** A fresh reader for one section: the entry being read lives here. */
function exportReader(): (line: string, prev: ParsedEvent | null) => LineResult | null {
  let entry: Entry | null = null;
  /** The event of the last entry that stood on its own (a Go record's later `Trace[…]` steps fold into it). */
  let lastOwn: ParsedEvent | null = null;

  /** The entry re-read with every field so far. */
  const reread = (e: Entry): ParsedEvent | null => {
    const r = journalRecordEvent(e.record, null, true);
    if (r.type !== 'event') return null;
    const event = r.event;
    const monotonic = integerField(e.record, '__MONOTONIC_TIMESTAMP');
    if (event.uptimeUs === undefined && monotonic !== undefined) event.uptimeUs = monotonic;
    const boot = e.record['_BOOT_ID'];
    if (boot !== undefined && /^[0-9a-f]{32}$/.test(boot)) event.fields = { ...event.fields, boot_id: boot };
    return event;
  };

  const withField = (e: Entry, key: string, value: string): LineResult => {
    // A field may repeat within an entry; the first value is the entry's (journalctl -o json shows the rest as an array).
    if (!(key in e.record)) e.record[key] = value;
    if (!e.event) return { type: 'skip', reason: 'journal export field before its entry\'s __REALTIME_TIMESTAMP' };
    const event = reread(e);
    if (!event) return { type: 'continuation' };
    e.event = event;
    return { type: 'continuation', event };
  };

  const finishBinary = (e: Entry): LineResult => {
    const b = e.binary!;
    e.binary = null;
    return withField(e, b.name, b.data.join('\n'));
  };

  return (raw, _prev) => {
    const line = stripCarriageReturn(raw);
    if (entry?.binary) {
      const fate = feedBinary(entry.binary, line);
      if (fate === 'more') return { type: 'continuation' };
      if (fate === 'done') return finishBinary(entry);
      finishBinary(entry); // the value ended before this line: the line is read on its own below
    }
    if (line === '') {
      // The blank line that ends an entry. Only now are the entry's program, pid and MESSAGE all
      // known: a klog `Trace[…]` step from the process of the Go record before it continues that
      // record, as the same step does in a plain klog stream or a short journal line.
      const ended = entry?.event ?? null;
      entry = null;
      if (ended && continuesGoRecord(lastOwn, ended.program, ended.pid, ended.message)) {
        return { type: 'continuation', foldIntoPrevious: ended.message };
      }
      if (ended) lastOwn = ended;
      return BLANK;
    }
    if (CURSOR.test(line)) {
      entry = { record: {}, event: null, binary: null };
      return { type: 'skip', reason: 'journal export cursor (where the entry sat in its journal file; the event is at its __REALTIME_TIMESTAMP line)' };
    }
    if (REALTIME.test(line)) {
      if (!entry || entry.event) entry = { record: {}, event: null, binary: null };
      entry.record['__REALTIME_TIMESTAMP'] = line.slice(line.indexOf('=') + 1);
      const event = reread(entry);
      if (!event) return { type: 'skip', reason: 'journal record without a readable __REALTIME_TIMESTAMP' };
      entry.event = event;
      return { type: 'event', event };
    }
    const field = TEXT_FIELD.exec(line);
    if (field) {
      if (!entry) return { type: 'skip', reason: 'journal export field outside an entry (its entry starts before the text)' };
      return withField(entry, field[1]!, line.slice(field[0].length));
    }
    if (BINARY_NAME.test(line) && entry) {
      entry.binary = { name: line, size: [], need: null, data: [] };
      return entry.event ? { type: 'continuation' } : { type: 'skip', reason: 'journal export field before its entry\'s __REALTIME_TIMESTAMP' };
    }
    return null;
  };
}

function judge(line: string): LineVerdict {
  if (REALTIME.test(line) || CURSOR.test(line)) return 'record';
  if (TEXT_FIELD.test(line) || BINARY_NAME.test(line)) return 'companion';
  return 'foreign';
}

export const journalExport: FormatDescriptor = {
  name: 'journal-export',
  title: 'journalctl -o export (Journal Export Format: KEY=value lines, a blank line between entries)',
  detect: (head) => shareOfLines(head, judge),
  // A line read on its own (detection's fallback, the samples): the time line opens an entry, a
  // field line continues the event before it; only the section's reader re-reads whole entries.
  parse: (raw, prev) => {
    const line = stripCarriageReturn(raw);
    if (REALTIME.test(line) || CURSOR.test(line)) return exportReader()(line, null);
    if (TEXT_FIELD.test(line) || BINARY_NAME.test(line)) {
      return prev ? { type: 'continuation' } : { type: 'skip', reason: 'journal export field outside an entry (its entry starts before the text)' };
    }
    return null;
  },
  reader: exportReader,
  readsBlankLines: true,
  foldsRecords: true,
  samples: [
    {
      line: '__REALTIME_TIMESTAMP=1342540861416409',
      expect: { source: 'syslog', time: '2012-07-17T16:01:01.416Z' },
    },
    {
      line: 'MESSAGE=AccountsService-DEBUG(+): ActUserManager: ignoring unspecified session \'8\' since it\'s not a graphical session',
      expect: { continuation: true },
    },
  ],
};
