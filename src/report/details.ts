import type { Finding } from '../correlate/types.js';
import { describeChance } from './correlation.js';
import { extraNumber, extraString, extraStrings } from './findings.js';
import { type Block, type Inline, type ListItem, code, text } from './model.js';
import { quoteEvidence } from './quote.js';
import { formatDuration, formatRangeBoth, isoToMs } from './time.js';

/**
 * The facts every finding section repeats — span, bursts, onsets hit, chance, the kind-specific
 * extras — and its quoted evidence, so cause, symptom, background and inconclusive sections read alike.
 */

const EVIDENCE_QUOTED = 10;

export function spanOf(f: Finding, tz: string): string {
  const s = isoToMs(f.start);
  const e = isoToMs(f.end);
  return s === null || e === null ? `${f.start} to ${f.end}` : formatRangeBoth(s, e, tz);
}

/** Bullet facts about a finding, in a fixed order; extras only when present and well-typed. */
export function findingFacts(f: Finding, tz: string): ListItem[] {
  const items: ListItem[] = [
    { content: [text('Verdict: '), code(f.verdict), text(` (finding ${f.id} on `), text(f.host), text(')')] },
    { content: [text('Span: ' + spanOf(f, tz))] },
  ];
  if (f.bursts.length > 0) {
    const events = f.bursts.reduce((n, b) => n + b.count, 0);
    items.push({ content: [text(`Bursts: ${f.bursts.length}, ${events} events in all`)] });
  }
  items.push({ content: [text(`Outage onsets hit: ${f.outages_hit} of ${f.outages_total}`)] });
  items.push({ content: [text('Chance alignment: ' + describeChance(f.chance))] });
  items.push(...extraFacts(f));
  const reasons = extraStrings(f, 'reasons');
  if (reasons.length > 0) items.push({ content: [text('Reasons:')], children: reasons.map((r) => [text(r)]) });
  return items;
}

function extraFacts(f: Finding): ListItem[] {
  const items: ListItem[] = [];
  const fact = (...content: Inline) => items.push({ content });
  const template = extraString(f, 'template');
  if (template !== null) fact(text('Template: '), code(template));
  const sourceIp = extraString(f, 'source_ip');
  if (sourceIp !== null) fact(text('Source IP: '), code(sourceIp));
  const attempts = extraNumber(f, 'attempts');
  if (attempts !== null) fact(text(`Attempts: ${attempts}`));
  const usernames = (f as unknown as Record<string, unknown>)['usernames'];
  if (typeof usernames === 'number') fact(text(`Distinct user names: ${usernames}`));
  if (Array.isArray(usernames)) {
    // A list of attacker-chosen names: show how many and quote a few, each as code.
    const names = usernames.filter((u): u is string => typeof u === 'string');
    const quoted = names.slice(0, 8).flatMap((n, i) => [text(i === 0 ? ': ' : ', '), code(n)]);
    fact(text(`Distinct user names: ${names.length}`), ...quoted, ...(names.length > 8 ? [text(', …')] : []));
  }
  const rate = extraNumber(f, 'rate_per_min');
  if (rate !== null) fact(text(`Rate: ${rate.toFixed(1)} per minute`));
  const period = extraNumber(f, 'period_s');
  if (period !== null) fact(text(`Period: ${formatDuration(period)} (${period.toFixed(0)} s)`));
  const lead = extraNumber(f, 'lead_s');
  if (lead !== null) fact(text(`Typical lead before onset: ${formatDuration(lead)}`));
  const inside = extraNumber(f, 'events_inside');
  const outside = extraNumber(f, 'events_outside');
  if (inside !== null || outside !== null) {
    fact(text(`Events inside outage windows: ${inside ?? '?'}; outside: ${outside ?? '?'}`));
  }
  return items;
}

/** The finding's evidence quoted with file:line, or nothing when it carries none. */
export function evidenceBlocks(f: Finding, label: string, limit = EVIDENCE_QUOTED): Block[] {
  if (f.evidence.length === 0) return [];
  const shown = f.evidence.slice(0, limit);
  const more = f.evidence.length - shown.length;
  return [
    { type: 'subheading', content: [text(label)] },
    { type: 'code', lines: shown.map(quoteEvidence) },
    ...(more > 0 ? [{ type: 'paragraph' as const, content: [text(`… and ${more} more evidence lines.`)] }] : []),
  ];
}
