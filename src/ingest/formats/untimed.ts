/**
 * Output modes that print the message and nothing else, so no content can tell them from any other
 * text: `journalctl -o cat` (journalctl(1): "generates a very terse output, only showing the actual
 * message of each journal entry with no metadata, not even a timestamp") and `dmesg -t` /
 * `--notime` / `--time-format notime` (util-linux: DMESG_TIMEFTM_NONE prints no stamp).
 *
 * They are read only where a capture's section header names the command (`=== journalctl -u ssh -o
 * cat ===`, `--- dmesg -t ---`): the header is the evidence. Their lines are events with no time
 * (`{kind:'none'}`): stored, searchable, counted in the section's `untimed` warning, and left out of
 * time-range queries and correlation. The program comes from the command when it names one
 * (`-u ssh`, `-t sshd`, `-k`); detection never picks these formats from content (detect() is 0).
 */
import type { FormatDescriptor, LineResult, ParsedEvent } from '../types.js';
import { kernelEvent } from './dmesg.js';
import { frameMessage } from './syslog.js';
import { stripCarriageReturn } from './line-share.js';

const JOURNAL_MARKER = /^-- (?:Boot|Reboot|Logs begin|Journal begins|No entries)[^\n]{0,200} --$/;

/** `journalctl … -o cat …` / `--output=cat` / `--output cat` / `-ocat`. */
const JOURNAL_CAT = /(?:^|\s|\/)journalctl\s(?:.*\s)?(?:-o\s*|--output[=\s])cat(?:\s|$)/;
/** `dmesg -t`, `dmesg -xt`, `dmesg --notime`, `dmesg --time-format notime` (lower-case t only: -T is ctime). */
const DMESG_NOTIME = /(?:^|\s|\/)dmesg\s(?:.*\s)?(?:-[a-zA-Z]*t[a-zA-Z]*|--notime|--time-format[=\s]notime)(?:\s|$)/;

/** The one program a journalctl command line selects (`-u ssh.service`, `-t sshd`, `-k`), if any. */
export function programOfJournalCommand(title: string): string | undefined {
  const words = title.trim().split(/\s+/);
  const picked = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let value: string | undefined;
    if (w === '-k' || w === '--dmesg' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(w) && !w.startsWith('--')) {
      picked.add('kernel');
      continue;
    }
    if (w === '-u' || w === '--unit' || w === '-t' || w === '--identifier') value = words[++i];
    else if (/^--(?:unit|identifier)=/.test(w)) value = w.slice(w.indexOf('=') + 1);
    else if (/^-[ut]\S/.test(w)) value = w.slice(2);
    if (value === undefined) continue;
    let name = value.replace(/\.service$/, '');
    // Debian and Ubuntu name OpenSSH's unit `ssh`; its messages are sshd's.
    if (name === 'ssh') name = 'sshd';
    picked.add(name);
  }
  return picked.size === 1 ? [...picked][0] : undefined;
}

function untimedLine(line: string, prev: ParsedEvent | null, program: string | undefined): LineResult | null {
  const text = stripCarriageReturn(line);
  if (text.trim() === '') return { type: 'skip', reason: 'blank line' };
  if (JOURNAL_MARKER.test(text)) return { type: 'skip', reason: 'journalctl marker' };
  if (program === 'kernel') return { type: 'event', event: kernelEvent({ kind: 'none' }, text) };
  const framed = frameMessage(program, text);
  const event: ParsedEvent = {
    time: { kind: 'none' },
    source: framed.source,
    kind: framed.kind,
    severity: framed.severity,
    message: framed.message,
    fields: framed.fields,
  };
  if (program !== undefined) event.program = program;
  if (framed.repeated !== undefined) event.repeated = framed.repeated;
  void prev;
  return { type: 'event', event };
}

function journalCatFor(program: string | undefined): FormatDescriptor {
  return { ...journalCat, parse: (line, prev) => untimedLine(line, prev, program) };
}

export const journalCat: FormatDescriptor = {
  name: 'journal-cat',
  title: 'journalctl -o cat (the message only, no time: read where a section header names the command)',
  detect: () => 0,
  declared: (title) => (JOURNAL_CAT.test(title) ? journalCatFor(programOfJournalCommand(title)) : null),
  parse: (line, prev) => untimedLine(line, prev, undefined),
  samples: [
    // What `journalctl -u ssh -o cat` prints for an sshd failure (the section header supplies the program).
    { line: 'Failed password for invalid user admin from 60.163.139.198 port 51234 ssh2', expect: { source: 'syslog' } },
  ],
};

function dmesgNotimeLine(line: string, prev: ParsedEvent | null): LineResult | null {
  const text = stripCarriageReturn(line);
  if (text.trim() === '') return { type: 'skip', reason: 'blank line' };
  // dmesg indents the further lines of a multi-line record.
  if (prev && /^[ \t]/.test(text)) return { type: 'continuation' };
  // `dmesg: read kernel buffer failed: Operation not permitted` is dmesg's own complaint, not the kernel's.
  if (/^dmesg: /.test(text)) return { type: 'skip', reason: `dmesg's own message: ${text.slice(7, 87)}` };
  return { type: 'event', event: kernelEvent({ kind: 'none' }, text) };
}

export const dmesgNotime: FormatDescriptor = {
  name: 'dmesg-notime',
  title: 'dmesg -t / --time-format notime (kernel messages with no stamp: read where a section header names the command)',
  detect: () => 0,
  declared: (title) => (DMESG_NOTIME.test(title) ? dmesgNotime : null),
  parse: dmesgNotimeLine,
  samples: [
    {
      line: 'br-33693122cf09: port 8(veth2cbbca2) entered blocking state',
      expect: { kind: 'kernel.bridge_state', source: 'kernel', fields: { bridge: 'br-33693122cf09', state: 'blocking' } },
    },
  ],
};

/** Formats a section header names and content cannot reveal. */
export const DECLARED_FORMATS: readonly FormatDescriptor[] = [journalCat, dmesgNotime];
