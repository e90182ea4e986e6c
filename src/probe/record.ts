/**
 * The probe's log: one JSON object per line, written whole. A check record says what was checked,
 * the outcome and what was seen (a short escaped excerpt and a digest of all of it, so two records
 * can be compared without storing bodies). A `change` record says when the monitor itself changed:
 * a failure of a kind this target never showed before, a wrapped tool's new version, an ssh banner
 * or command output that differs from the last good one. A reader of the log sees the moment the
 * probe's meaning may have changed, which the seed incident's monitor never said.
 */
import { createHash } from 'node:crypto';
import { escapeTerminal } from '../text/escape.js';
import type { CheckResult } from './checks.js';
import type { ProbeTarget } from './targets.js';

/** Characters of what was seen kept in a record: enough to recognise help text or a banner. */
export const SEEN_EXCERPT_CHARS = 160;

export interface CheckRecord {
  ts: string;
  target: string;
  check: string;
  outcome: string;
  latency_ms: number | null;
  error: string | null;
  detail: string | null;
  status?: number;
  exit?: number | null;
  seen: string | null;
  digest: string | null;
  version: string;
}

export interface ChangeRecord {
  ts: string;
  record: 'change';
  target: string;
  check: string;
  what: 'new-failure' | 'output-changed' | 'tool-version';
  from: string | null;
  to: string;
  detail: string;
  version: string;
}

/** Escaped (control characters visible, never raw) and capped: a banner is attacker-controlled text. */
export function excerpt(s: string | null): string | null {
  if (s === null || s === '') return s === '' ? '' : null;
  const oneLine = s.length > SEEN_EXCERPT_CHARS * 2 ? s.slice(0, SEEN_EXCERPT_CHARS * 2) : s;
  const escaped = escapeTerminal(oneLine.replace(/\r?\n$/, ''));
  return escaped.length > SEEN_EXCERPT_CHARS ? escaped.slice(0, SEEN_EXCERPT_CHARS - 1) + '…' : escaped;
}

export function digest(s: string | null): string | null {
  if (s === null) return null;
  return 'sha256:' + createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 16);
}

export function checkRecord(t: ProbeTarget, at: Date, r: CheckResult, version: string): CheckRecord {
  const rec: CheckRecord = {
    ts: at.toISOString(),
    target: t.text,
    check: t.check,
    outcome: r.outcome,
    latency_ms: r.latencyMs,
    error: r.error,
    detail: r.detail === null ? null : escapeTerminal(r.detail),
    seen: excerpt(r.seen),
    digest: digest(r.seen),
    version,
  };
  if (r.status !== undefined) rec.status = r.status;
  if (r.exit !== undefined) rec.exit = r.exit;
  return rec;
}

/**
 * What one target has shown so far, to notice the monitor changing: failure signatures
 * (outcome, error class, digest of what was seen) and the last good output of checks whose good
 * output should not vary (an ssh banner, a command's answer). HTTP bodies often vary on every
 * request, so their good output is not compared.
 */
export class TargetMemory {
  private readonly failures = new Set<string>();
  private lastGood: string | null = null;
  private toolVersion: string | null = null;

  constructor(private readonly target: ProbeTarget) {}

  observe(rec: CheckRecord): ChangeRecord | null {
    const base = { ts: rec.ts, record: 'change' as const, target: rec.target, check: rec.check };
    if (rec.outcome !== 'up') {
      const signature = `${rec.outcome}/${rec.error ?? '-'}/${rec.digest ?? '-'}`;
      if (this.failures.has(signature)) return null;
      const first = this.failures.size === 0;
      this.failures.add(signature);
      return {
        ...base,
        what: 'new-failure',
        from: null,
        to: signature,
        detail: `${first ? 'first failure' : 'a failure unlike any before'}: ${rec.outcome}${rec.error ? ` (${rec.error})` : ''}${rec.seen ? `, saw ${JSON.stringify(rec.seen)}` : ''}`,
        version: rec.version,
      };
    }
    if (this.target.check === 'ssh' || this.target.check === 'cmd') {
      const previous = this.lastGood;
      this.lastGood = rec.digest;
      if (previous !== null && rec.digest !== previous) {
        const detail = `the good ${this.target.check === 'ssh' ? 'banner' : 'output'} changed: now ${JSON.stringify(rec.seen)}`;
        return { ...base, what: 'output-changed', from: previous, to: rec.digest ?? '', detail, version: rec.version };
      }
    }
    return null;
  }

  /** A wrapped command's version: recorded at start and whenever it differs. */
  version(ts: string, version: string, probeVersion: string): ChangeRecord | null {
    if (version === this.toolVersion) return null;
    const from = this.toolVersion;
    this.toolVersion = version;
    return {
      ts,
      record: 'change',
      target: this.target.text,
      check: this.target.check,
      what: 'tool-version',
      from,
      to: version,
      detail: from === null ? `${this.target.host} is ${version}` : `${this.target.host} changed from ${from} to ${version}`,
      version: probeVersion,
    };
  }
}
