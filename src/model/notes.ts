/**
 * What ingest tells people about a section: the assumptions it made and the problems it met.
 * Each note carries a code from the closed set below and a sentence. Code reads the code (which
 * note to drop when a boot is anchored later, which files were help text); people read the text,
 * which may be reworded freely. A new kind of note is a new code here.
 */

/** Assumptions: how times, hosts and formats were decided. */
export const ASSUMPTION_CODES = [
  /** Times without an offset were read in a zone (why: --tz, the bundle's timedatectl, this machine). */
  'zone',
  /** Year-less stamps got their year from a reference instant. */
  'year',
  /** Every stamp carried its own offset. */
  'own-offset',
  /** Records naming no host got the section's host. */
  'host',
  /** Lines of another format inside the section were read with that format. */
  'fallback-format',
  /** The uptime clock resets inside the section: several boots. */
  'boot-resets',
  /** Uptime stamps were placed at a boot instant (and why). */
  'boot-anchor',
  /** The spans of time the section covers, and where their ends come from. */
  'coverage',
  /** A probe's target was matched to a host of the bundle. */
  'probe-host',
  /** A fact section (date, uptime -s, timedatectl) was read as a fact. */
  'fact',
  /** Detection by region split the section: which region this is and where the format changes. */
  'region',
  /** Kernel lines of raw dmesg and of a journal or syslog are the same lines: the less precise copy is a twin. */
  'kernel-twins',
] as const;

/** Warnings: what the reader should check. */
export const WARNING_CODES = [
  /** The zone is this machine's, for want of any other. */
  'zone-fallback',
  /** Offsets on lines of the same capture or host contradict the zone, or only narrow it (zone-hints.ts). */
  'zone-hint',
  'dst-gap',
  'dst-ambiguous',
  'time-backwards',
  'time-future',
  /** Lines dated before 1990 (the plausible range starts there; a clock never set logs 1970). */
  'time-ancient',
  /** Events with no time at all. */
  'untimed',
  /** Lines skipped for one reason (one note per reason). */
  'skipped',
  /** The section is not a log: looked like a table, help text ... */
  'not-a-log',
  /** Kernel lines with only an uptime stamp and no boot anchor. */
  'boot-unanchored',
  /** The capture's own boot fact does not fit its lines. */
  'boot-fact-misfit',
  /** Two pieces of boot evidence contradict each other: the choice and the rejected one (src/time/boot-placement.ts). */
  'boot-contradiction',
  /** The bundle names several hosts where one was expected, or none: the choice and the rejected names. */
  'host-evidence',
  /** A journal header's span excludes lines of its section. */
  'journal-span',
  'empty-file',
  /** The file stopped being readable part way (read error, bad gzip member). */
  'read-stopped',
  'long-lines',
  'invalid-utf8',
  'nul-bytes',
  /** How the bytes were decoded: a byte-order mark, CR-only line ends, several gzip members, trailing garbage. */
  'encoding',
  /** The file's content differs from the stored copy under the same identity. */
  'changed',
] as const;

export type AssumptionCode = (typeof ASSUMPTION_CODES)[number];
export type WarningCode = (typeof WARNING_CODES)[number];
/** A note carried over from a store written before notes had codes (its text only). */
export type LegacyCode = 'legacy';
export type NoteCode = AssumptionCode | WarningCode | LegacyCode;
export type NoteLevel = 'assumption' | 'warning';

export interface Note {
  level: NoteLevel;
  code: NoteCode;
  /** The sentence people read. */
  text: string;
  /** How many lines or events it concerns (1 for a statement about the whole section). */
  count: number;
}

export function assumption(code: AssumptionCode, text: string, count = 1): Note {
  return { level: 'assumption', code, text, count };
}

export function warning(code: WarningCode, text: string, count = 1): Note {
  return { level: 'warning', code, text, count };
}

const KNOWN = new Set<string>([...ASSUMPTION_CODES, ...WARNING_CODES, 'legacy']);
export function isNoteCode(s: string): s is NoteCode {
  return KNOWN.has(s);
}

/**
 * What a section that is not a log looked like. Readers key on the code (the probe's snapshot
 * facts ask for `help-text`); the description shown beside it names the first line and may change.
 */
export const LOOKED_LIKE_CODES = [
  'help-text',
  'shell-trace',
  'bare-date',
  'table',
  'firewall-rules',
  'foreign-json',
  'untimed-syslog',
  'unknown-text',
  'empty',
  'facts',
  'binary',
  'not-a-file',
] as const;
export type LookedLikeCode = (typeof LOOKED_LIKE_CODES)[number];

export interface LookedLike {
  code: LookedLikeCode;
  text: string;
}
