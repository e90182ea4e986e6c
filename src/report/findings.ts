import type { Finding } from '../correlate/types.js';
import type { ReportInput, Story } from './types.js';

/**
 * Reading the correlator's findings: the typed extras (`source_ip`, `reasons`, ...) arrive as
 * `unknown` and are only trusted after a type check, and stories group findings into independent causes.
 */

export function extraNumber(f: Finding, key: string): number | null {
  const v = (f as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function extraString(f: Finding, key: string): string | null {
  const v = (f as unknown as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : null;
}

/** A string list extra (`reasons`); non-string members are dropped. */
export function extraStrings(f: Finding, key: string): string[] {
  const v = (f as unknown as Record<string, unknown>)[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function findingsWithVerdict(input: ReportInput, verdict: Finding['verdict']): Finding[] {
  return input.result.findings.filter((f) => f.verdict === verdict);
}

/** The story a finding belongs to, if the correlator grouped findings into stories. */
export function storyOf(input: ReportInput, findingId: string): Story | null {
  return (input.result.stories ?? []).find((s) => s.findings.includes(findingId)) ?? null;
}

/**
 * How many independent causes the data shows: stories that hold a `cause` finding, or the cause
 * findings themselves when the correlator did not group them.
 */
export function independentCauseCount(input: ReportInput): number {
  const causeIds = new Set(findingsWithVerdict(input, 'cause').map((f) => f.id));
  const stories = input.result.stories ?? [];
  if (stories.length === 0) return causeIds.size;
  return stories.filter((s) => s.findings.some((id) => causeIds.has(id))).length;
}

/** The symptom findings a cause's story attaches to it. */
export function symptomsOf(input: ReportInput, cause: Finding): Finding[] {
  const story = storyOf(input, cause.id);
  if (!story) return [];
  return findingsWithVerdict(input, 'symptom').filter((f) => story.findings.includes(f.id));
}

/** `F1 bridge-churn`: how a finding is named in headings and table columns. */
export function findingLabel(f: Finding): string {
  return `${f.id} ${f.kind}`;
}

/** `1 cause`, `3 causes`. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
