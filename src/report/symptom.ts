import type { Outage } from '../correlate/types.js';
import type { TimelineRow } from '../timeline/types.js';
import { plural } from './findings.js';
import { lanesOf } from './lanes.js';
import { type Block, type Inline, type Section, code, paragraph, text } from './model.js';
import { quoteRow } from './quote.js';
import { formatDuration, formatRangeBoth, isoToMs, usToMs } from './time.js';
import type { ReportInput } from './types.js';

/**
 * `## Symptom that opened the session`: the first outage window and how each source saw it. A source
 * that falls silent inside the window is shown as such — silence is evidence for the outage.
 */

const FIRST_LINES_QUOTED = 8;

export function firstOutage(outages: readonly Outage[]): Outage | null {
  const dated = outages.filter((o) => isoToMs(o.start) !== null && isoToMs(o.end) !== null);
  dated.sort((a, b) => (isoToMs(a.start) ?? 0) - (isoToMs(b.start) ?? 0));
  return dated[0] ?? null;
}

/** Timeline rows whose burst overlaps the window. */
export function rowsInside(rows: readonly TimelineRow[], startMs: number, endMs: number): TimelineRow[] {
  return rows.filter((r) => usToMs(r.lastUs) >= startMs && usToMs(r.firstUs) <= endMs);
}

export function symptomSection(input: ReportInput): Section {
  const heading = [text('Symptom that opened the session')];
  const outage = firstOutage(input.result.outages);
  if (outage === null) {
    return { id: 'symptom', heading, blocks: [paragraph(text('No outage window was found in the data or given with --window.'))] };
  }
  const startMs = isoToMs(outage.start) as number;
  const endMs = isoToMs(outage.end) as number;
  const inside = rowsInside(input.timeline, startMs, endMs);

  const supported: Inline = outage.sources.length === 0
    ? [text('no source')]
    : outage.sources.flatMap((s, i) => [text(i > 0 ? ', ' : ''), code(s)]);
  const blocks: Block[] = [
    paragraph(
      text(`The first window, ${formatRangeBoth(startMs, endMs, input.tz)}, lasted ${formatDuration((endMs - startMs) / 1000)} on `),
      text(outage.host),
      text(` and is ${outage.status}; supported by `),
      ...supported,
      text('.'),
    ),
    { type: 'table', header: ['Source', 'Events inside', 'First line inside the window'], rows: perSourceRows(input.timeline, inside) },
  ];
  if (inside.length > 0) {
    blocks.push(paragraph(text(`First evidence inside the window (${plural(inside.length, 'timeline row')} in all):`)));
    blocks.push({ type: 'code', lines: inside.slice(0, FIRST_LINES_QUOTED).map(quoteRow) });
  }
  return { id: 'symptom', heading, blocks };
}

function perSourceRows(all: readonly TimelineRow[], inside: readonly TimelineRow[]): Inline[][] {
  return lanesOf(all).map((source) => {
    const mine = inside.filter((r) => r.source === source);
    const events = mine.reduce((n, r) => n + r.count, 0);
    const first = mine[0];
    return [
      [text(source)],
      [text(String(events))],
      first === undefined ? [text('silent inside the window')] : [code(quoteRow(first))],
    ];
  });
}
