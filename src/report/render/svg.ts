import { escapeXml, truncateMiddle } from '../../text/escape.js';
import type { TimelineRow } from '../../timeline/types.js';
import { tickLabels, ticks } from './axis.js';
import { formatClockBoth, formatUtc, showsLocal, usToMs, zoneAbbreviation } from '../time.js';
import type { ReportInput } from '../types.js';
import { type View, type ViewFinding, type ViewWindow, findingLabel, viewOf } from '../view.js';
import { planStories } from '../sections/plan.js';

/**
 * The figure: an outage band (real windows solid, windows only a lying monitor saw hatched), the
 * probe's own lines, then one lane per finding, labelled with its id, kind and verdict, its bursts
 * drawn one by one. Real windows are shaded faintly across every lane so a reader sees what led them.
 * A short window or burst gets a minimum visible width but never reaches the next one, so a
 * metronome stays a row of separate marks. Every mark is in the legend; the axis is labelled in UTC
 * and the local zone. Coordinates have fixed decimals (same input, same bytes); data text is escaped.
 */

const LANE_HEIGHT = 34;
const TOP = 92;
const BOTTOM = 58;
const LEFT = 190;
const RIGHT = 24;
const FONT = 'font-family="sans-serif"';
const MAX_TICKS = 9;
const EDGE_CLEARANCE = 40;
/** A one-minute outage on a five-hour axis is under 3 px: windows get at least this much. */
const MIN_WINDOW_PX = 5;
const MIN_BURST_PX = 2;
/** Gap kept between consecutive drawn marks of one lane, so neighbours never merge. */
const MIN_GAP_PX = 1.5;
/** Margins around the windows when the figure frames the incident. */
const FRAME_BEFORE_MS = 60 * 60_000;
const FRAME_AFTER_MS = 30 * 60_000;

const VERDICT_COLOURS: Record<string, string> = {
  cause: '#c0392b',
  symptom: '#7d5ba6',
  background: '#6f7c85',
  artifact: '#d4860b',
  inconclusive: '#2e86ab',
};
const OUTAGE_FILL = '#d62728';
const PROBE_UP = '#2ca02c';
const PROBE_DOWN = '#d62728';
const LEGEND_ROW_Y = 40;
const LEGEND_ROW_HEIGHT = 18;
/** Legend label width from its length: 12 px sans-serif averages under 7 px a character. */
const LEGEND_CHAR_PX = 7;
const LEGEND_SWATCH_PX = 30;

function n(x: number): string {
  const s = x.toFixed(1);
  return s === '-0.0' ? '0.0' : s;
}

interface Frame {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  plotBottom: number;
  startMs: number;
  endMs: number;
}

function frameFor(view: View, probeRows: readonly TimelineRow[], lanes: number, width: number): Frame {
  let startMs = Infinity;
  let endMs = -Infinity;
  const take = (s: number, e: number) => {
    startMs = Math.min(startMs, s);
    endMs = Math.max(endMs, e);
  };
  if (view.windows.length > 0) {
    for (const w of view.windows) take(w.startMs - FRAME_BEFORE_MS, w.endMs + FRAME_AFTER_MS);
  } else {
    for (const f of view.findings) if (f.startMs !== null && f.endMs !== null) take(f.startMs, f.endMs);
    for (const r of probeRows) take(usToMs(r.firstUs), usToMs(r.lastUs));
  }
  if (!Number.isFinite(startMs)) {
    startMs = 0;
    endMs = 60_000;
  }
  if (endMs - startMs < 60_000) endMs = startMs + 60_000;
  const pad = Math.round((endMs - startMs) * 0.01);
  return {
    width,
    height: TOP + lanes * LANE_HEIGHT + BOTTOM,
    plotLeft: LEFT,
    plotRight: width - RIGHT,
    plotTop: TOP,
    plotBottom: TOP + lanes * LANE_HEIGHT,
    startMs: startMs - pad,
    endMs: endMs + pad,
  };
}

function xOf(f: Frame, ms: number): number {
  const x = f.plotLeft + ((ms - f.startMs) / (f.endMs - f.startMs)) * (f.plotRight - f.plotLeft);
  return Math.min(f.plotRight, Math.max(f.plotLeft, x));
}

/**
 * Spans as drawn rectangles: at least `minPx` wide, but each stops short of the next one, so marks
 * that are apart in time stay apart on the page. Spans outside the frame are dropped.
 */
function drawnSpans<T extends { startMs: number; endMs: number }>(f: Frame, spans: readonly T[], minPx: number): { span: T; x: number; w: number }[] {
  const inFrame = spans.filter((s) => s.endMs >= f.startMs && s.startMs <= f.endMs).sort((a, b) => a.startMs - b.startMs);
  return inFrame.map((span, i) => {
    const x = xOf(f, span.startMs);
    const next = inFrame[i + 1];
    const room = next === undefined ? Infinity : xOf(f, next.startMs) - x - MIN_GAP_PX;
    const w = Math.max(0.5, Math.min(Math.max(minPx, xOf(f, span.endMs) - x), Math.max(room, 0.5)));
    return { span, x, w };
  });
}

export function renderSvg(input: ReportInput, opts?: { width?: number }): string {
  return svgDocument(input, opts?.width ?? 1200, true);
}

/** `standalone` adds the XML namespace a file needs; inline in HTML the parser supplies it. */
export function svgDocument(input: ReportInput, width: number, standalone: boolean): string {
  const view = viewOf(input);
  const plan = planStories(input, view);
  const probeRows = input.timeline.filter((r) => r.source === 'probe');
  const findings = view.findings;
  const laneCount = 1 + (probeRows.length > 0 ? 1 : 0) + findings.length;
  const f = frameFor(view, probeRows, laneCount, Math.max(600, width));
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  const real = view.windows.filter((w) => w.status !== 'artifact' && w.status !== 'refuted');
  const lying = view.windows.filter((w) => w.status === 'artifact');
  const markers = [
    ...findings.filter((x) => x.verdict === 'artifact' && x.startMs !== null).map((x) => ({ ms: x.startMs as number, label: `${x.id} lies from ${formatClockBoth(x.startMs as number, 'utc')}` })),
    ...plan.filter((p) => p.role === 'stop').map((p) => ({ ms: p.stop!.lastMs, label: `${p.stop!.cause.id} stops ${formatClockBoth(p.stop!.lastMs, 'utc')}` })),
  ].sort((a, b) => a.ms - b.ms);
  let lane = 0;
  const parts = [
    `<svg${ns} class="corr-timeline" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-labelledby="corr-figure-title">`,
    `<title id="corr-figure-title">${escapeXml(`Timeline of ${input.title}`)}</title>`,
    defs(),
    `<rect class="background" x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`,
    ...Array.from({ length: laneCount }, (_, i) => laneBand(f, i)),
    ...gridAndAxis(f, input.tz),
    ...drawnSpans(f, real, MIN_WINDOW_PX).map(({ x, w }) => `<rect class="window-shade" x="${n(x)}" y="${n(f.plotTop)}" width="${n(w)}" height="${n(f.plotBottom - f.plotTop)}" fill="${OUTAGE_FILL}" fill-opacity="0.07"/>`),
    outageLane(f, lane++, real, lying),
    ...(probeRows.length > 0 ? [probeLane(f, lane++, probeRows)] : []),
    ...findings.map((x) => findingLane(f, lane++, x, lying)),
    ...markers.map((m, i) => marker(f, m.ms, m.label, i)),
    ...legend(f, input.tz, { probe: probeRows.length > 0, lying: lying.length > 0, markers: markers.length > 0 }, findings),
    '</svg>',
  ];
  return parts.filter((p) => p !== '').join('\n') + '\n';
}

function defs(): string {
  return [
    '<defs>',
    '<pattern id="corr-hatch-artifact" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">',
    '<rect width="6" height="6" fill="#fff1d6"/>',
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#d4860b" stroke-width="3"/>',
    '</pattern>',
    '</defs>',
  ].join('\n');
}

function laneY(f: Frame, i: number): number {
  return f.plotTop + i * LANE_HEIGHT;
}

function laneBand(f: Frame, i: number): string {
  return `<rect class="lane-band" x="${n(f.plotLeft)}" y="${n(laneY(f, i))}" width="${n(f.plotRight - f.plotLeft)}" height="${LANE_HEIGHT}" fill="${i % 2 === 0 ? '#f4f6f8' : '#ffffff'}"/>`;
}

function laneLabel(f: Frame, i: number, name: string, sub: string, colour: string): string {
  const y = laneY(f, i);
  return (
    `<text class="lane-label" x="${n(f.plotLeft - 10)}" y="${n(y + 15)}" ${FONT} font-size="12" font-weight="bold" text-anchor="end" fill="${colour}">${escapeXml(truncateMiddle(name, 26))}</text>` +
    `<text class="lane-sub" x="${n(f.plotLeft - 10)}" y="${n(y + 28)}" ${FONT} font-size="10.5" text-anchor="end" fill="#555555">${escapeXml(sub)}</text>`
  );
}

function outageLane(f: Frame, i: number, real: readonly ViewWindow[], lying: readonly ViewWindow[]): string {
  const y = laneY(f, i) + 7;
  const h = LANE_HEIGHT - 14;
  const marks = [
    ...drawnSpans(f, real, MIN_WINDOW_PX).map(({ span, x, w }) =>
      `<rect class="outage outage-${span.status === 'confirmed' ? 'confirmed' : 'unconfirmed'}" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${h}" fill="${OUTAGE_FILL}" fill-opacity="${span.status === 'confirmed' ? '0.85' : '0.35'}"><title>${escapeXml(`${span.status} outage ${formatUtc(span.startMs)} to ${formatUtc(span.endMs)} on ${span.host}`)}</title></rect>`,
    ),
    ...drawnSpans(f, lying, MIN_WINDOW_PX).map(({ span, x, w }) =>
      `<rect class="outage outage-artifact" x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${h}" fill="url(#corr-hatch-artifact)" stroke="#d4860b" stroke-width="0.8"><title>${escapeXml(`only the lying monitor saw this: ${formatUtc(span.startMs)} to ${formatUtc(span.endMs)} on ${span.host}`)}</title></rect>`,
    ),
  ];
  return [`<g class="lane lane-outages" data-lane="outages">`, laneLabel(f, i, 'outage windows', `${real.length} real, ${lying.length} lying`, '#8b1a1a'), ...marks, '</g>'].join('\n');
}

function probeLane(f: Frame, i: number, rows: readonly TimelineRow[]): string {
  const y = laneY(f, i);
  const ticksOut = rows.map((r) => {
    const x = xOf(f, usToMs(r.tsUs));
    const down = r.fields['state'] === 'down';
    return `<line class="probe-line probe-${down ? 'down' : 'up'}" x1="${n(x)}" y1="${n(y + (down ? 6 : 14))}" x2="${n(x)}" y2="${n(y + (down ? 20 : 28))}" stroke="${down ? PROBE_DOWN : PROBE_UP}" stroke-width="1.5"><title>${escapeXml(`${formatUtc(usToMs(r.tsUs))} ${truncateMiddle(r.message, 120)}`)}</title></line>`;
  });
  const targets = [...new Set(rows.map((r) => (typeof r.fields['target'] === 'string' ? (r.fields['target'] as string) : r.host)))];
  return [`<g class="lane lane-probe" data-lane="probe">`, laneLabel(f, i, 'probe', truncateMiddle(targets.join(', '), 28), '#1f6f1f'), ...ticksOut, '</g>'].join('\n');
}

/** Bar height by log10(event count): one event 6 px, a thousand 18 px, capped to the lane. */
export function barHeight(count: number): number {
  return Math.min(LANE_HEIGHT - 8, 6 + 4 * Math.log10(Math.max(1, count)));
}

function findingLane(f: Frame, i: number, x: ViewFinding, lying: readonly ViewWindow[]): string {
  const colour = VERDICT_COLOURS[x.verdict] ?? '#555555';
  const mid = laneY(f, i) + LANE_HEIGHT / 2;
  let marks: string[];
  if (x.verdict === 'artifact') {
    // A lying monitor's lane shows each of its false windows, apart: the metronome is the finding.
    const own = lying.filter((w) => w.host === x.host);
    const spans: { startMs: number; endMs: number }[] = own.length > 0 ? own : x.bursts;
    marks = drawnSpans(f, spans, MIN_WINDOW_PX).map(({ span, x: left, w }) =>
      `<rect class="mark lying-window" x="${n(left)}" y="${n(mid - 8)}" width="${n(w)}" height="16" fill="url(#corr-hatch-artifact)" stroke="${colour}" stroke-width="0.8"><title>${escapeXml(`${x.id} reports down ${formatUtc(span.startMs)} to ${formatUtc(span.endMs)}: not real`)}</title></rect>`,
    );
  } else if (x.bursts.length > 0) {
    marks = drawnSpans(f, x.bursts, MIN_BURST_PX).map(({ span, x: left, w }) => {
      const h = barHeight(span.count);
      return `<rect class="mark burst" x="${n(left)}" y="${n(mid - h / 2)}" width="${n(w)}" height="${n(h)}" fill="${colour}" fill-opacity="0.85"><title>${escapeXml(`${x.id} burst ${formatUtc(span.startMs)} to ${formatUtc(span.endMs)}, ${span.count} events`)}</title></rect>`;
    });
  } else {
    marks = x.evidence
      .filter((e) => e.ms !== null && e.ms >= f.startMs && e.ms <= f.endMs)
      .map((e) => `<circle class="mark evidence" cx="${n(xOf(f, e.ms as number))}" cy="${n(mid)}" r="3.5" fill="${colour}" fill-opacity="0.85"><title>${escapeXml(`${x.id} ${formatUtc(e.ms as number)} ${e.file}:${e.line}`)}</title></circle>`);
  }
  return [
    `<g class="lane lane-finding" data-lane="${escapeXml(x.id)}" data-kind="${escapeXml(x.kind)}" data-verdict="${escapeXml(x.verdict)}">`,
    laneLabel(f, i, findingLabel(x), x.verdict, colour),
    ...marks,
    '</g>',
  ].join('\n');
}

function marker(f: Frame, ms: number, label: string, i: number): string {
  if (ms < f.startMs || ms > f.endMs) return '';
  const x = xOf(f, ms);
  // Neighbouring markers label to opposite sides, so "stops" and "lies from" never overprint.
  const anchor = i % 2 === 0 ? 'end' : 'start';
  const dx = anchor === 'end' ? -4 : 4;
  return [
    `<g class="marker">`,
    `<line x1="${n(x)}" y1="${n(f.plotTop - 6)}" x2="${n(x)}" y2="${n(f.plotBottom)}" stroke="#222222" stroke-width="1.2" stroke-dasharray="4 3"/>`,
    `<text x="${n(x + dx)}" y="${n(f.plotTop - 8)}" ${FONT} font-size="11" text-anchor="${anchor}" fill="#222222">${escapeXml(label)}</text>`,
    '</g>',
  ].join('\n');
}

function gridAndAxis(f: Frame, tz: string): string[] {
  const all = ticks(f.startMs, f.endMs, MAX_TICKS);
  const at = all.at.filter((ms) => xOf(f, ms) - f.plotLeft >= EDGE_CLEARANCE && f.plotRight - xOf(f, ms) >= EDGE_CLEARANCE / 2);
  const local = showsLocal(tz);
  const utcLabels = tickLabels(at, all.stepMs, 'utc');
  const localLabels = local ? tickLabels(at, all.stepMs, tz) : [];
  const out: string[] = [
    `<line class="axis" x1="${n(f.plotLeft)}" y1="${n(f.plotBottom)}" x2="${n(f.plotRight)}" y2="${n(f.plotBottom)}" stroke="#333333" stroke-width="1"/>`,
    `<text class="axis-zone" x="${n(f.plotLeft - 10)}" y="${n(f.plotBottom + 18)}" ${FONT} font-size="12" text-anchor="end" fill="#333333">UTC</text>`,
  ];
  if (local) {
    out.push(`<text class="axis-zone" x="${n(f.plotLeft - 10)}" y="${n(f.plotBottom + 35)}" ${FONT} font-size="12" text-anchor="end" fill="#555555">${escapeXml(zoneCaption(f, tz))}</text>`);
  }
  at.forEach((ms, i) => {
    const x = n(xOf(f, ms));
    out.push(`<line class="grid" x1="${x}" y1="${n(f.plotTop)}" x2="${x}" y2="${n(f.plotBottom + 5)}" stroke="#d5d9dd" stroke-width="1"/>`);
    out.push(`<text class="tick-utc" x="${x}" y="${n(f.plotBottom + 18)}" ${FONT} font-size="12" text-anchor="middle" fill="#333333">${escapeXml(utcLabels[i] ?? '')}</text>`);
    if (local) out.push(`<text class="tick-local" x="${x}" y="${n(f.plotBottom + 35)}" ${FONT} font-size="12" text-anchor="middle" fill="#555555">${escapeXml(localLabels[i] ?? '')}</text>`);
  });
  return out;
}

/** `America/Los_Angeles (PDT)`, or `Europe/Berlin (UTC+02:00 → UTC+01:00)` when the offset changes inside the figure. */
function zoneCaption(f: Frame, tz: string): string {
  const first = zoneAbbreviation(f.startMs, tz);
  const last = zoneAbbreviation(f.endMs, tz);
  return `${tz} (${first === last ? first : `${first} → ${last}`})`;
}

function legend(f: Frame, tz: string, has: { probe: boolean; lying: boolean; markers: boolean }, findings: readonly ViewFinding[]): string[] {
  const { probe, markers } = has;
  const heading = showsLocal(tz) ? `Time in UTC (upper axis row) and ${tz} (lower row)` : 'Time in UTC';
  // The artifact lane is hatched like the windows it invents, so it needs no entry of its own.
  const verdicts = [...new Set(findings.map((x) => x.verdict))].filter((v) => v !== 'artifact');
  const items: [string, string][] = [
    [`<rect x="0" y="-10" width="16" height="12" fill="${OUTAGE_FILL}" fill-opacity="0.85"/>`, 'real outage (shaded faintly across every lane)'],
    ...(has.lying ? ([['<rect x="0" y="-10" width="16" height="12" fill="url(#corr-hatch-artifact)" stroke="#d4860b" stroke-width="0.8"/>', 'down window only a lying monitor saw']] as [string, string][]) : []),
    ...(probe ? ([[`<line x1="4" y1="-12" x2="4" y2="0" stroke="${PROBE_DOWN}" stroke-width="1.5"/><line x1="11" y1="-12" x2="11" y2="0" stroke="${PROBE_UP}" stroke-width="1.5"/>`, 'probe line: down / up']] as [string, string][]) : []),
    ...verdicts.map((v): [string, string] => [`<rect x="0" y="-10" width="16" height="12" fill="${VERDICT_COLOURS[v] ?? '#555555'}" fill-opacity="0.85"/>`, `${v} burst`]),
    ...(findings.some((x) => x.bursts.length === 0 && x.verdict !== 'artifact') ? ([[`<circle cx="8" cy="-4" r="3.5" fill="#555555"/>`, 'evidence line']] as [string, string][]) : []),
    ...(markers ? ([['<line x1="8" y1="-14" x2="8" y2="2" stroke="#222222" stroke-width="1.2" stroke-dasharray="4 3"/>', 'a monitor begins to lie / a cause stops']] as [string, string][]) : []),
  ];
  const out = [`<text class="legend-title" x="${n(f.plotLeft)}" y="18" ${FONT} font-size="13" fill="#222222">${escapeXml(heading + '; bar height: log of the burst\u2019s event count')}</text>`];
  // Entries flow left to right and wrap to a second row, their widths from their text, so none overlaps.
  let x = f.plotLeft;
  let row = 0;
  for (const [swatch, label] of items) {
    const width = LEGEND_SWATCH_PX + label.length * LEGEND_CHAR_PX;
    if (x + width > f.plotRight && x > f.plotLeft) {
      x = f.plotLeft;
      row++;
    }
    out.push(`<g class="legend-item" transform="translate(${n(x)},${LEGEND_ROW_Y + row * LEGEND_ROW_HEIGHT})">${swatch}<text x="22" y="0" ${FONT} font-size="12" fill="#222222">${escapeXml(label)}</text></g>`);
    x += width;
  }
  return out;
}
