/**
 * The fallback classifier for syslog programs nobody wrote a dedicated classifier for (CRON, sudo,
 * systemd, systemd-logind ...), plus the `message repeated N times: [ ... ]` unwrapping that every
 * syslog-borne classifier shares.
 */
import type { Severity } from '../types.js';
import type { Classification } from './classification.js';

/** Longest program part of a kind; a hostile tag must not mint arbitrarily long kinds. */
const MAX_KIND_NAME = 48;

export interface RepeatedMessage {
  count: number;
  inner: string;
}

/**
 * rsyslog folds duplicates into `message repeated 76 times: [-- MARK --]`. The count is how many
 * times the inner message occurred in that stretch, so the event stands for `count` events.
 * Returns null when the message is not such a wrapper. Plain string tests keep it linear-time.
 */
export function unwrapRepeated(message: string): RepeatedMessage | null {
  const text = message.trim();
  const head = /^message repeated (\d{1,9}) times: \[/.exec(text);
  if (!head || !text.endsWith(']')) return null;
  const count = Number(head[1]);
  if (count < 1) return null;
  const inner = text.slice(head[0].length, -1).trim();
  return { count, inner };
}

/** Snake-case name for a kind: `systemd-logind` → `systemd_logind`, `/sbin/anacron` → `anacron`. */
export function kindNameForProgram(program: string): string {
  const base = program.slice(program.lastIndexOf('/') + 1).toLowerCase();
  const name = base
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_KIND_NAME)
    .replace(/_+$/g, '');
  return name || 'message';
}

/**
 * Severity from the words of a free-text message. Deliberately coarse: `error`/`fatal`/`panic` say
 * error, failures and refusals say warning, everything else is info. A syslog line carries no level
 * of its own, and guessing higher than the words say would flood the timeline with false alarms.
 */
export function severityFromWords(message: string): Severity {
  if (/\b(?:error|errors|fatal|panic|critical)\b/i.test(message)) return 'error';
  if (/\b(?:fail|failed|failure|failing|warn|warning|denied|refused|timeout|timed out)\b/i.test(message)) {
    return 'warning';
  }
  if (/-WARNING\b/.test(message)) return 'warning';
  return 'info';
}

/** Any other syslog program: kept as a generic event so nothing is dropped. */
export function classifyGeneric(program: string, message: string): Classification {
  const kind = `syslog.${kindNameForProgram(program)}`;
  const repeated = unwrapRepeated(message);
  if (repeated) {
    return {
      source: 'syslog',
      kind,
      severity: severityFromWords(repeated.inner),
      fields: { repeated: repeated.count },
      repeated: repeated.count,
      message: repeated.inner,
    };
  }
  return { source: 'syslog', kind, severity: severityFromWords(message), fields: {} };
}
