/**
 * Format detection by content: every format scores a section's first lines; the best wins if it
 * explains enough of them. What no format explains is described (a table, help text, a bare date)
 * so the user is told what was passed over, never silently.
 */
import type { FormatDescriptor } from './types.js';
import type { LookedLike, LookedLikeCode } from '../model/notes.js';
import { ALL_FORMATS } from './formats/index.js';

/** Non-blank lines looked at for detection. */
export const HEAD_LINES = 60;
/** A format must explain at least this share of the head lines to be chosen. */
export const MIN_SCORE = 0.3;

export interface Detection {
  format: FormatDescriptor | null;
  score: number;
  /** For non-logs: what the section looked like. */
  lookedLike: string | null;
  /** For non-logs: the same as a code readers may key on (src/model/notes.ts). */
  lookedLikeCode: LookedLikeCode | null;
}

export function detectFormat(head: string[], formats: readonly FormatDescriptor[] = ALL_FORMATS): Detection {
  const lines = head.filter((l) => l.trim().length > 0).slice(0, HEAD_LINES);
  if (lines.length === 0) return { format: null, score: 0, lookedLike: 'nothing (empty)', lookedLikeCode: 'empty' };
  let best: FormatDescriptor | null = null;
  let bestScore = 0;
  for (const f of formats) {
    let s = 0;
    try {
      s = f.detect(lines);
    } catch {
      s = 0; // a descriptor that throws on odd input simply does not claim it
    }
    if (s > bestScore + 1e-9) {
      best = f;
      bestScore = s;
    }
  }
  if (best && bestScore >= MIN_SCORE) return { format: best, score: bestScore, lookedLike: null, lookedLikeCode: null };
  const looked = classifyNonLog(lines);
  return { format: null, score: bestScore, lookedLike: looked.text, lookedLikeCode: looked.code };
}

/** A short description of text that is not a log, for the warning that says it was passed over. */
export function describeNonLog(lines: string[]): string {
  return classifyNonLog(lines).text;
}

/** What text that is not a log looks like: a code (what readers key on) and a description. */
export function classifyNonLog(lines: string[]): LookedLike {
  const text = lines.join('\n');
  if (/^\s*(usage|Usage|USAGE):/m.test(text) || /^(Available Commands|Flags|Options|Commands):\s*$/m.test(text)) {
    return { code: 'help-text', text: 'CLI usage or help text' };
  }
  if (lines.length <= 2 && /^\w{3} \w{3} +\d{1,2} \d{2}:\d{2}:\d{2} /.test(lines[0]!)) return { code: 'bare-date', text: 'a bare date line' };
  const columnar = lines.filter((l) => l.trim().split(/\s{2,}|\t/).length >= 3).length;
  if (lines.length >= 2 && columnar / lines.length >= 0.6) return { code: 'table', text: 'a table (columns of values, such as ss or ps output)' };
  if (/^-[AIN] \S+|^Chain \S+ \(policy/m.test(text)) return { code: 'firewall-rules', text: 'firewall rules (iptables output)' };
  if (/^[{[]/.test(lines[0]!)) return { code: 'foreign-json', text: 'JSON that is not a log format corr knows' };
  return { code: 'unknown-text', text: `text that no log format explains (first line: ${JSON.stringify(lines[0]!.slice(0, 80))})` };
}

/**
 * A line the section's own format does not claim may still be a whole record of another format
 * (an RFC 3339 line inside a BSD syslog file, as fail2ban's test log mixes them). Only a format that
 * claims the line on its own with full confidence is taken: a guess would be worse than a skip.
 */
export function fallbackFormat(line: string, exclude: FormatDescriptor, formats: readonly FormatDescriptor[] = ALL_FORMATS): FormatDescriptor | null {
  for (const f of formats) {
    if (f === exclude) continue;
    let score = 0;
    try {
      score = f.detect([line]);
    } catch {
      score = 0;
    }
    if (score >= 0.999) return f;
  }
  return null;
}
