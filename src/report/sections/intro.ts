import { DateTime } from 'luxon';
import type { CorrelationResult } from '../../model/finding.js';
import type { SectionSummary } from '../../model/source.js';
import { type Block, type Span, code, paragraph, strong, text } from '../model.js';
import { formatRangeBoth } from '../time.js';
import type { ReportInput } from '../types.js';
import { type View, findingLabel, isCrossHost, realWindows } from '../view.js';
import { MAX_STORY_SECTIONS, type PlannedStory, storyCounts } from './plan.js';
import { plural } from './phrases.js';

/** The anchor: one paragraph saying what happened, when, and how many independent stories stacked. */

/** Hosts named by the outages and findings (the incident), else by the ingested sources. */
export function incidentHosts(result: CorrelationResult, sources: readonly SectionSummary[]): string[] {
  const fromResult = [...result.outages.map((o) => o.host), ...result.findings.map((f) => f.host)];
  const hosts = fromResult.length > 0 ? fromResult : sources.flatMap((s) => (s.host ? [s.host] : []));
  return [...new Set(hosts.filter((h) => h !== ''))].sort();
}

/** The incident's span: its outage windows, else its findings; null when nothing is dated. */
export function incidentSpan(view: View): { startMs: number; endMs: number } | null {
  const spans = view.windows.length > 0
    ? view.windows.map((w) => [w.startMs, w.endMs] as const)
    : view.findings.flatMap((f) => (f.startMs !== null && f.endMs !== null ? [[f.startMs, f.endMs] as const] : []));
  if (spans.length === 0) return null;
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const [s, e] of spans) {
    startMs = Math.min(startMs, s);
    endMs = Math.max(endMs, e);
  }
  return { startMs, endMs };
}

/** `Postmortem: kai-server outage on 2026-05-26`: the default `--title`, dated in the report's zone. */
export function defaultTitle(result: CorrelationResult, sources: readonly SectionSummary[], tz: string): string {
  const hosts = incidentHosts(result, sources);
  const who = hosts.length === 0 ? '' : hosts.length <= 3 ? `${hosts.join(', ')} ` : `${hosts.slice(0, 3).join(', ')} and others `;
  const starts = result.outages.map((o) => Math.floor(o.startUs / 1000));
  const when = starts.length === 0 ? '' : ` on ${DateTime.fromMillis(starts.reduce((a, b) => Math.min(a, b)), { zone: tz }).toFormat('yyyy-LL-dd')}`;
  return `Postmortem: ${who}outage${when}`;
}

export function buildIntro(input: ReportInput, view: View, plan: readonly PlannedStory[], withFigure: boolean): Block[] {
  const hosts = incidentHosts(input.result, input.sources);
  const span = incidentSpan(view);
  const real = realWindows(view);
  const artifacts = view.windows.filter((w) => w.status === 'artifact').length;
  const confirmed = real.filter((w) => w.status === 'confirmed').length;
  const spans: Span[] = [
    text(`Postmortem draft for ${hosts.length > 0 ? hosts.join(', ') : 'the ingested hosts'}`),
    text(span === null ? ': no dated outage or finding was in scope. ' : `, ${formatRangeBoth(span.startMs, span.endMs, input.tz)}. `),
  ];
  if (plan.length === 0) {
    spans.push(text('The data shows no independent story: no finding was judged.'));
  } else {
    spans.push(text('The data shows '), strong(plural(plan.length, 'independent story', 'independent stories')), text(` that stacked and looked alike from outside (${storyCounts(plan)}): `));
    const named = plan.slice(0, MAX_STORY_SECTIONS);
    named.forEach((p, i) => {
      spans.push(text(i === 0 ? '' : i === named.length - 1 && named.length === plan.length ? '; and ' : '; '));
      spans.push(text(`${p.n}. `));
      spans.push(...storyPhrase(p));
    });
    spans.push(text(plan.length > named.length ? `; and ${plan.length - named.length} more. ` : '. '));
  }
  // Causes across hosts are told in their own section; the anchor names them so they are not missed.
  const across = view.findings.filter((f) => isCrossHost(f) && f.verdict === 'cause');
  if (across.length > 0) {
    spans.push(text('Across hosts: '));
    across.forEach((f, i) => spans.push(text(i > 0 ? '; ' : ''), code(findingLabel(f)), text(` causes outages of ${f.windowsHost} (${f.outagesHit} of ${f.outagesTotal} onsets)`)));
    spans.push(text(' (section Across hosts). '));
  }
  spans.push(text(`${plural(real.length, 'real outage window')} (${confirmed} confirmed)`));
  spans.push(text(artifacts > 0 ? `, and ${plural(artifacts, 'window')} only a lying monitor saw.` : '.'));
  // A reported window the data contradicts is a finding in itself: the operator's memory or monitor was wrong there.
  const refuted = view.windows.filter((w) => w.status === 'refuted');
  if (refuted.length > 0) {
    const ranges = refuted.map((w) => `${w.host} ${formatRangeBoth(w.startMs, w.endMs, input.tz)}`).join('; ');
    // A probe's window can be refuted as well as an operator's (a witness kept its pace through it).
    const reportedOnly = refuted.every((w) => w.sources.includes('reported'));
    const noun = reportedOnly ? plural(refuted.length, 'reported window') : plural(refuted.length, 'window', 'windows') + ' an operator or a probe reported';
    spans.push(text(` ${noun} the data refutes: the host answered over the network inside ${refuted.length === 1 ? 'it' : 'them'} (${ranges}).`));
  }
  const blocks: Block[] = [paragraph(...spans)];
  if (withFigure) blocks.push({ type: 'figure', alt: 'Timeline: one lane per finding, the probe and the outage windows' });
  const scope = scopeSpans(input.options);
  if (scope.length > 0) blocks.push(paragraph(text('Scope as requested: '), ...scope));
  return blocks;
}

function storyPhrase(p: PlannedStory): Span[] {
  const main = p.role === 'stop' ? p.stop!.cause : (p.members.find((f) => f.verdict === (p.role === 'other' ? f.verdict : p.role)) ?? p.members[0]!);
  switch (p.role) {
    case 'cause':
      return [code(findingLabel(main)), text(` causes the outages (${main.outagesHit} of ${main.outagesTotal} onsets)`)];
    case 'stop':
      return [text('something ended '), code(findingLabel(main)), text(' for good, which no log line shows')];
    case 'background':
      return [code(findingLabel(main)), text(' is background, not load-bearing')];
    case 'artifact':
      return [code(findingLabel(main)), text(': a monitor that lied')];
    case 'other':
      return [code(findingLabel(main)), text(` (${main.verdict})`)];
  }
}

/** The user's own options, echoed as code so they can be re-run (and cannot inject markup). */
function scopeSpans(options: ReportInput['options']): Span[] {
  const parts: [string, string][] = [];
  if (options.since !== undefined) parts.push(['--since', options.since]);
  if (options.until !== undefined) parts.push(['--until', options.until]);
  for (const w of options.windows) parts.push(['--window', w]);
  return parts.flatMap(([flag, value], i) => [text((i > 0 ? ', ' : '') + flag + ' '), code(value)]);
}
