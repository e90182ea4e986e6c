import type { CorrelateResult } from '../correlate/types.js';
import type { SectionSummary } from '../store/types.js';
import type { TimelineRow } from '../timeline/types.js';
import { findingLabel, findingsWithVerdict, independentCauseCount, plural, storyOf } from './findings.js';
import { type Block, type ListItem, code, paragraph, strong, text } from './model.js';
import { formatRangeBoth, isoToMs, usToMs } from './time.js';
import { DateTime } from 'luxon';
import type { ReportInput } from './types.js';
import { maxOf, minOf } from './numbers.js';

/** The opening of the report: what happened, when, how many causes and windows, and the figure. */

/** Hosts named by the outages and findings (the incident), else by the ingested sources. */
export function incidentHosts(result: CorrelateResult, sources: readonly SectionSummary[]): string[] {
  const fromResult = [...result.outages.map((o) => o.host), ...result.findings.map((f) => f.host)];
  const hosts = fromResult.length > 0 ? fromResult : sources.flatMap((s) => (s.host ? [s.host] : []));
  return [...new Set(hosts.filter((h) => h !== ''))].sort();
}

/** The incident's span: the outage windows, else the timeline; null when nothing is dated. */
export function incidentSpan(result: CorrelateResult, timeline: readonly TimelineRow[]): { startMs: number; endMs: number } | null {
  const starts = result.outages.flatMap((o) => nonNull(isoToMs(o.start)));
  const ends = result.outages.flatMap((o) => nonNull(isoToMs(o.end)));
  if (starts.length > 0 && ends.length > 0) return { startMs: minOf(starts), endMs: maxOf(ends) };
  if (timeline.length === 0) return null;
  return {
    startMs: minOf(timeline.map((r) => usToMs(r.firstUs))),
    endMs: maxOf(timeline.map((r) => usToMs(r.lastUs))),
  };
}

function nonNull<T>(v: T | null): T[] {
  return v === null ? [] : [v];
}

/** `kai-server outage on 2026-05-26`: the default `--title`, dated in the report's zone. */
export function defaultTitle(
  result: CorrelateResult,
  timeline: readonly TimelineRow[],
  sources: readonly SectionSummary[],
  tz: string,
): string {
  const hosts = incidentHosts(result, sources);
  const who = hosts.length === 0 ? '' : hosts.length <= 3 ? `${hosts.join(', ')} ` : `${hosts.slice(0, 3).join(', ')} and others `;
  const span = incidentSpan(result, timeline);
  const when = span === null ? '' : ` on ${DateTime.fromMillis(span.startMs, { zone: tz }).toFormat('yyyy-LL-dd')}`;
  return `Postmortem: ${who}outage${when}`;
}

export function buildIntro(input: ReportInput, withFigure: boolean): Block[] {
  const { result } = input;
  const hosts = incidentHosts(result, input.sources);
  const span = incidentSpan(result, input.timeline);
  const causes = independentCauseCount(input);
  const status = (s: string) => result.outages.filter((o) => o.status === s).length;

  const opening = [
    text(`Postmortem draft for ${hosts.length > 0 ? hosts.join(', ') : 'the ingested hosts'}`),
    text(span === null ? ': no dated events were in scope. ' : `, ${formatRangeBoth(span.startMs, span.endMs, input.tz)}. `),
    text('The data shows '),
    strong(plural(causes, 'independent cause')),
    text(` and ${plural(result.outages.length, 'outage window')}: `),
    text(`${status('confirmed')} confirmed, ${status('unconfirmed')} unconfirmed, ${status('artifact')} artifact (a monitor that lied). `),
    text(
      `Besides the causes: ${plural(findingsWithVerdict(input, 'symptom').length, 'symptom')}, ` +
        `${plural(findingsWithVerdict(input, 'background').length, 'background signal')}, ` +
        `${plural(findingsWithVerdict(input, 'artifact').length, 'lying monitor')}, ` +
        `${plural(findingsWithVerdict(input, 'inconclusive').length, 'inconclusive signal')}.`,
    ),
  ];
  const blocks: Block[] = [{ type: 'paragraph', content: opening }];

  const causeItems: ListItem[] = findingsWithVerdict(input, 'cause').map((f, i) => ({
    content: [strong(`Cause ${i + 1}`), text(' — '), code(findingLabel(f)), text(': ' + (storyOf(input, f.id)?.summary ?? f.summary))],
  }));
  if (causeItems.length > 0) blocks.push({ type: 'list', items: causeItems });
  if (withFigure) blocks.push({ type: 'figure', alt: 'Timeline' });

  const scope = scopeSpans(input.options);
  if (scope.length > 0) blocks.push(paragraph(text('Scope as requested: '), ...scope));
  return blocks;
}

/** The user's own options, echoed as code so they can be re-run (and cannot inject markup). */
function scopeSpans(options: ReportInput['options']) {
  const parts: [string, string][] = [];
  if (options.since !== undefined) parts.push(['--since', options.since]);
  if (options.until !== undefined) parts.push(['--until', options.until]);
  for (const w of options.windows) parts.push(['--window', w]);
  return parts.flatMap(([flag, value], i) => [text((i > 0 ? ', ' : '') + flag + ' '), code(value)]);
}
