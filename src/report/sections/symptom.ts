import type { TimelineRow } from '../../timeline/types.js';
import { type Block, type Inline, type Section, code, paragraph, prompt, text } from '../model.js';
import { formatBoth, formatDuration, formatRangeBoth, isoToMs, usToMs } from '../time.js';
import type { SectionSummary } from '../../store/types.js';
import { sourceName } from './coverage.js';
import type { ReportInput } from '../types.js';
import { type View, type ViewWindow, realWindows } from '../view.js';
import { quoteRow } from './phrases.js';

/**
 * `## Symptom that opened the session`: the first real outage window, the probe's own first failure
 * quoted, and which sources still answered inside the window and which fell silent — the seed's
 * "ssh timed out, tailscale still answered".
 */

export function symptomSection(input: ReportInput, view: View): Section {
  const heading = [text('Symptom that opened the session')];
  const first = realWindows(view)[0];
  if (first === undefined) {
    return { id: 'symptom', heading, blocks: [paragraph(text('No outage window was found in the data or given with --window.'))] };
  }
  const blocks: Block[] = [
    paragraph(
      text(`The first window, ${formatRangeBoth(first.startMs, first.endMs, input.tz)}, lasted ${formatDuration((first.endMs - first.startMs) / 1000)} on `),
      text(first.host),
      text(` (${first.status}; from `),
      ...first.sources.flatMap((s, i) => [text(i > 0 ? ', ' : ''), code(s)]),
      text(').'),
    ),
  ];
  const failure = firstProbeFailure(input.timeline, first.host);
  if (failure !== null) {
    blocks.push(paragraph(text(`The probe's first failure, at ${formatBoth(usToMs(failure.tsUs), input.tz)}:`)));
    blocks.push({ type: 'code', lines: [quoteRow(failure)] });
  }
  const { answered, silent } = answers(input.timeline, input.sources, first);
  blocks.push(
    paragraph(
      text('Still logging inside the first window: '),
      ...(answered.length === 0 ? [text('nothing')] : answered.flatMap(([source, n], i): Inline => [text(i > 0 ? ', ' : ''), code(source), text(` (${n})`)])),
      text('. Silent there: '),
      ...(silent.length === 0 ? [text('no source that was recording then')] : silent.flatMap((source, i): Inline => [text(i > 0 ? ', ' : ''), code(source)])),
      text(silent.length === 0 ? '.' : ' (recording before and after, but no line inside).'),
    ),
  );
  blocks.push(paragraph(text('What the operator tried first and what still answered: '), prompt('e.g. ssh timed out, a VPN ping answered, HTTPS answered.')));
  return { id: 'symptom', heading, blocks };
}

/** The probe's first report of the host as down (a state or transition line whose state is down). */
export function firstProbeFailure(rows: readonly TimelineRow[], host: string): TimelineRow | null {
  return rows.find((r) => r.source === 'probe' && r.host === host && r.fields['state'] === 'down') ?? null;
}

/**
 * Sources with lines inside the window (events counted), and the files or sections that were
 * recording across it (a line before and after) yet wrote nothing inside: silence is evidence.
 */
function answers(rows: readonly TimelineRow[], sources: readonly SectionSummary[], w: ViewWindow): { answered: [string, number][]; silent: string[] } {
  const inside = new Map<string, number>();
  const filesInside = new Set<string>();
  for (const r of rows) {
    if (r.host !== w.host || usToMs(r.lastUs) < w.startMs || usToMs(r.firstUs) > w.endMs) continue;
    inside.set(r.source, (inside.get(r.source) ?? 0) + r.count);
    filesInside.add(r.file);
  }
  const answered = [...inside.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const silent = sources
    .filter((s) => s.host === w.host && s.first !== null && s.last !== null && !filesInside.has(s.path))
    .filter((s) => (isoToMs(s.first as string) ?? Infinity) < w.startMs && (isoToMs(s.last as string) ?? -Infinity) > w.endMs)
    .map(sourceName);
  return { answered, silent: [...new Set(silent)].sort() };
}
