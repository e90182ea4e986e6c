import type { Finding, Outage } from '../correlate/types.js';
import { LEAD_TOLERANCE_S, alignToWindow, describeAlignment, signalIntervals } from './correlation.js';
import { evidenceBlocks, findingFacts } from './details.js';
import { findingLabel, findingsWithVerdict, storyOf, symptomsOf } from './findings.js';
import { type Block, type Inline, type ListItem, type Section, code, paragraph, strong, text } from './model.js';
import { formatRangeLocal, formatRangeUtc, isoToMs, showsLocal } from './time.js';
import type { ReportInput } from './types.js';

/**
 * One `## Cause N — <kind>` section per cause finding: its facts, a window × signal table showing
 * where the cause (and the symptoms its story attaches) fell against each outage onset, and the
 * smoking-gun lines. Then one `## Symptoms` section for every symptom finding.
 */

/** Real outage windows (artifact windows are a lying monitor's, not the host's), in time order. */
export function realWindows(outages: readonly Outage[]): Outage[] {
  return outages
    .filter((o) => o.status !== 'artifact' && isoToMs(o.start) !== null && isoToMs(o.end) !== null)
    .sort((a, b) => (isoToMs(a.start) as number) - (isoToMs(b.start) as number));
}

export function causeSections(input: ReportInput): Section[] {
  return findingsWithVerdict(input, 'cause').map((cause, i) => causeSection(input, cause, i + 1));
}

function causeSection(input: ReportInput, cause: Finding, n: number): Section {
  const story = storyOf(input, cause.id);
  const blocks: Block[] = [];
  if (story !== null) blocks.push(paragraph(strong(`Story ${story.id}: `), text(story.summary)));
  blocks.push(paragraph(text(cause.summary)));
  blocks.push({ type: 'list', items: findingFacts(cause, input.tz) });
  blocks.push({ type: 'subheading', content: [text('Windows')] });
  blocks.push(...correlationTable(input, [cause, ...symptomsOf(input, cause)]));
  blocks.push(...evidenceBlocks(cause, 'Smoking gun'));
  return { id: `cause-${n}`, heading: [text(`Cause ${n} — `), text(cause.kind)], blocks };
}

/** Window × signal: for each real outage window, whether and how far each signal led or lagged its onset. */
export function correlationTable(input: ReportInput, signals: readonly Finding[]): Block[] {
  const windows = realWindows(input.result.outages);
  if (windows.length === 0) return [paragraph(text('No confirmed or unconfirmed outage window to align with.'))];
  const local = showsLocal(input.tz);
  const header = ['Window (UTC)', ...(local ? [`Window (${input.tz})`] : []), 'Status', ...signals.map(findingLabel)];
  const intervals = signals.map(signalIntervals);
  const rows = windows.map((w): Inline[] => {
    const s = isoToMs(w.start) as number;
    const e = isoToMs(w.end) as number;
    return [
      [text(formatRangeUtc(s, e))],
      ...(local ? [[text(formatRangeLocal(s, e, input.tz))]] : []),
      [text(w.status)],
      ...intervals.map((iv) => [text(describeAlignment(alignToWindow(iv, w)))]),
    ];
  });
  return [
    { type: 'table', header, rows },
    paragraph(text(`A hit is a burst that overlaps the window or ends at most ${LEAD_TOLERANCE_S / 60} minutes before its onset; the time is from the onset to the start of the nearest such burst.`)),
  ];
}

export function symptomsSection(input: ReportInput): Section | null {
  const symptoms = findingsWithVerdict(input, 'symptom');
  if (symptoms.length === 0) return null;
  const causes = findingsWithVerdict(input, 'cause');
  const blocks: Block[] = symptoms.flatMap((f): Block[] => {
    const owner = causes.findIndex((c) => symptomsOf(input, c).some((s) => s.id === f.id));
    const attached: ListItem = owner < 0
      ? { content: [text('Attached to no cause: it follows the outages but the data does not say which cause.')] }
      : { content: [text(`Attached to Cause ${owner + 1} (`), code(findingLabel(causes[owner] as Finding)), text(')')] };
    return [
      { type: 'subheading', content: [code(findingLabel(f))] },
      paragraph(text(f.summary)),
      { type: 'list', items: [attached, ...findingFacts(f, input.tz)] },
      ...evidenceBlocks(f, 'Evidence'),
    ];
  });
  return { id: 'symptoms', heading: [text('Symptoms')], blocks };
}
