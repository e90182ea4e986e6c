import type { Outage } from '../correlate/types.js';
import { escapeXml, truncateMiddle } from '../text/escape.js';
import type { TimelineRow } from '../timeline/types.js';
import { tickLabels, ticks } from './axis.js';
import { lanesOf } from './lanes.js';
import { formatUtc, isoToMs, showsLocal, usToMs, zoneAbbreviation } from './time.js';
import type { ReportInput } from './types.js';
import { maxOf, minOf } from './numbers.js';

/**
 * The timeline figure: one swimlane per source, outage windows shaded across all lanes (confirmed
 * solid, unconfirmed lighter, artifact hatched), bursts as marks sized by log(count), and a time axis
 * labelled in UTC and in the local zone. Coordinates are printed with fixed decimals so the same input
 * gives the same bytes. Every string from the data goes through escapeXml.
 */

const LANE_HEIGHT = 60;
const TOP = 56;
const BOTTOM = 64;
const LEFT = 96;
const RIGHT = 24;
const FONT = 'font-family="sans-serif"';
const MAX_TICKS = 8;
/** Room a tick label (`05-27 00:00`, ~70 px at 12 px) needs beside the zone names. */
const EDGE_CLEARANCE = 40;
/** Narrow windows still get a visible band; artifact ones wider, so their hatching shows. */
const MIN_OUTAGE_WIDTH = 4;
const MIN_ARTIFACT_WIDTH = 8;

const LANE_COLOURS: Record<string, string> = {
  kernel: '#1f77b4',
  k3s: '#9467bd',
  sshd: '#a0522d',
  probe: '#2ca02c',
  syslog: '#6b6b6b',
};
const OTHER_COLOUR = '#17a2b8';
const OUTAGE_FILL = '#d62728';

/** Fixed-decimal coordinates; `-0.0` is normalised so that it never differs from `0.0`. */
function n(x: number): string {
  const s = x.toFixed(1);
  return s === '-0.0' ? '0.0' : s;
}

/** A class-name-safe form of a source name (sources may be new, so never trust them in a class). */
function laneClass(source: string): string {
  return 'lane-' + source.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Mark size: radius 3.5 for one event, growing with log10(count), capped so bursts stay in their lane. */
export function markRadius(count: number): number {
  return Math.min(14, 3.5 + 2.2 * Math.log10(Math.max(1, count)));
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

function frameFor(input: ReportInput, lanes: number, width: number): Frame {
  const instants = [
    ...input.timeline.flatMap((r) => [usToMs(r.firstUs), usToMs(r.lastUs)]),
    ...input.result.outages.flatMap((o) => [isoToMs(o.start), isoToMs(o.end)].filter((x): x is number => x !== null)),
  ];
  let startMs = instants.length > 0 ? minOf(instants) : 0;
  let endMs = instants.length > 0 ? maxOf(instants) : 60_000;
  if (endMs - startMs < 60_000) endMs = startMs + 60_000;
  // A little room on both sides so marks at the edges are not clipped.
  const pad = Math.round((endMs - startMs) * 0.02);
  startMs -= pad;
  endMs += pad;
  const plotTop = TOP;
  return {
    width,
    height: lanes * LANE_HEIGHT + TOP + BOTTOM,
    plotLeft: LEFT,
    plotRight: width - RIGHT,
    plotTop,
    plotBottom: plotTop + lanes * LANE_HEIGHT,
    startMs,
    endMs,
  };
}

function xOf(f: Frame, ms: number): number {
  return f.plotLeft + ((ms - f.startMs) / (f.endMs - f.startMs)) * (f.plotRight - f.plotLeft);
}

export function renderSvg(input: ReportInput, opts?: { width?: number }): string {
  return svgDocument(input, opts?.width ?? 1000, true);
}

/** `standalone` adds the XML namespace a file needs; inline in HTML the parser supplies it. */
export function svgDocument(input: ReportInput, width: number, standalone: boolean): string {
  const lanes = lanesOf(input.timeline);
  const f = frameFor(input, Math.max(1, lanes.length), Math.max(400, width));
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  const title = `Timeline of ${input.title}`;
  const parts = [
    `<svg${ns} class="corr-timeline" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-labelledby="corr-figure-title">`,
    `<title id="corr-figure-title">${escapeXml(title)}</title>`,
    defs(),
    `<rect class="background" x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`,
    ...laneBackgrounds(f, lanes),
    ...gridAndAxis(f, input.tz),
    ...input.result.outages.map((o) => outageShade(f, o)),
    ...lanes.map((source, i) => laneMarks(f, source, i, input.timeline.filter((r) => r.source === source))),
    ...(lanes.length === 0 ? [`<text x="${n((f.plotLeft + f.plotRight) / 2)}" y="${n(f.plotTop + LANE_HEIGHT / 2)}" ${FONT} font-size="13" text-anchor="middle" fill="#555555">No events in scope</text>`] : []),
    ...legend(f, input.tz),
    '</svg>',
  ];
  return parts.filter((p) => p !== '').join('\n') + '\n';
}

function defs(): string {
  return [
    '<defs>',
    '<pattern id="corr-hatch-artifact" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">',
    '<rect width="8" height="8" fill="#fff4e0"/>',
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#e08a00" stroke-width="3"/>',
    '</pattern>',
    '</defs>',
  ].join('\n');
}

function laneBackgrounds(f: Frame, lanes: readonly string[]): string[] {
  return lanes.map((source, i) => {
    const y = f.plotTop + i * LANE_HEIGHT;
    const fill = i % 2 === 0 ? '#f4f6f8' : '#ffffff';
    return [
      `<rect class="lane-band" x="${n(f.plotLeft)}" y="${n(y)}" width="${n(f.plotRight - f.plotLeft)}" height="${LANE_HEIGHT}" fill="${fill}"/>`,
      `<text class="lane-label" x="${n(f.plotLeft - 10)}" y="${n(y + LANE_HEIGHT / 2 + 4)}" ${FONT} font-size="13" font-weight="bold" text-anchor="end" fill="${laneColour(source)}">${escapeXml(truncateMiddle(source, 12))}</text>`,
    ].join('\n');
  });
}

function laneColour(source: string): string {
  return LANE_COLOURS[source] ?? OTHER_COLOUR;
}

function gridAndAxis(f: Frame, tz: string): string[] {
  const all = ticks(f.startMs, f.endMs, MAX_TICKS);
  const stepMs = all.stepMs;
  // A label centred on a tick near the left edge would run into the zone names; such ticks are dropped.
  const at = all.at.filter((ms) => xOf(f, ms) - f.plotLeft >= EDGE_CLEARANCE && f.plotRight - xOf(f, ms) >= EDGE_CLEARANCE / 2);
  const local = showsLocal(tz);
  const utcLabels = tickLabels(at, stepMs, 'utc');
  const localLabels = local ? tickLabels(at, stepMs, tz) : [];
  const out: string[] = [
    `<line class="axis" x1="${n(f.plotLeft)}" y1="${n(f.plotBottom)}" x2="${n(f.plotRight)}" y2="${n(f.plotBottom)}" stroke="#333333" stroke-width="1"/>`,
    `<text class="axis-zone" x="${n(f.plotLeft - 10)}" y="${n(f.plotBottom + 20)}" ${FONT} font-size="12" text-anchor="end" fill="#333333">UTC</text>`,
  ];
  if (local) {
    out.push(`<text class="axis-zone" x="${n(f.plotLeft - 10)}" y="${n(f.plotBottom + 38)}" ${FONT} font-size="12" text-anchor="end" fill="#555555">${escapeXml(zoneAbbreviation(f.startMs, tz))}</text>`);
  }
  at.forEach((ms, i) => {
    const x = n(xOf(f, ms));
    out.push(`<line class="grid" x1="${x}" y1="${n(f.plotTop)}" x2="${x}" y2="${n(f.plotBottom + 5)}" stroke="#c8ccd0" stroke-width="1"/>`);
    out.push(`<text class="tick-utc" x="${x}" y="${n(f.plotBottom + 20)}" ${FONT} font-size="12" text-anchor="middle" fill="#333333">${escapeXml(utcLabels[i] ?? '')}</text>`);
    if (local) {
      out.push(`<text class="tick-local" x="${x}" y="${n(f.plotBottom + 38)}" ${FONT} font-size="12" text-anchor="middle" fill="#555555">${escapeXml(localLabels[i] ?? '')}</text>`);
    }
  });
  return out;
}

function outageShade(f: Frame, o: Outage): string {
  const s = isoToMs(o.start);
  const e = isoToMs(o.end);
  if (s === null || e === null) return '';
  const x1 = xOf(f, s);
  const w = Math.max(o.status === 'artifact' ? MIN_ARTIFACT_WIDTH : MIN_OUTAGE_WIDTH, xOf(f, e) - x1);
  const fill =
    o.status === 'artifact'
      ? 'fill="url(#corr-hatch-artifact)" stroke="#e08a00" stroke-width="1"'
      : `fill="${OUTAGE_FILL}" fill-opacity="${o.status === 'confirmed' ? '0.28' : '0.12'}"`;
  const label = `${o.status} outage ${formatUtc(s)} to ${formatUtc(e)} on ${o.host}`;
  return `<rect class="outage outage-${o.status === 'artifact' ? 'artifact' : o.status === 'confirmed' ? 'confirmed' : 'unconfirmed'}" data-status="${escapeXml(o.status)}" x="${n(x1)}" y="${n(f.plotTop)}" width="${n(w)}" height="${n(f.plotBottom - f.plotTop)}" ${fill}><title>${escapeXml(label)}</title></rect>`;
}

/**
 * Above this many rows in one lane the point marks are merged per few-pixel column, so a noisy
 * day cannot produce a figure of megabytes; the merged mark's tooltip says how many rows it holds.
 */
export const MAX_MARKS_PER_LANE = 1500;
const MERGE_COLUMN_PX = 3;

interface Mark {
  x1: number;
  x2: number;
  count: number;
  severe: boolean;
  tip: string;
}

function marksOf(f: Frame, rows: readonly TimelineRow[]): Mark[] {
  const marks = rows.map((r): Mark => ({
    x1: xOf(f, usToMs(r.firstUs)),
    x2: xOf(f, usToMs(r.lastUs)),
    count: r.count,
    severe: r.severity === 'error' || r.severity === 'critical',
    tip: `${formatUtc(usToMs(r.firstUs))} ×${r.count} ${r.kind}: ${truncateMiddle(r.message, 120)}`,
  }));
  if (marks.length <= MAX_MARKS_PER_LANE) return marks;
  const bars = new Set(marks.filter((m) => m.x2 - m.x1 > 2 * markRadius(m.count)));
  const columns = new Map<number, Mark[]>();
  for (const m of marks) {
    if (bars.has(m)) continue;
    const key = Math.round((m.x1 + m.x2) / 2 / MERGE_COLUMN_PX);
    const column = columns.get(key) ?? [];
    column.push(m);
    columns.set(key, column);
  }
  const merged = [...columns.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, ms]): Mark => {
      const count = ms.reduce((n, m) => n + m.count, 0);
      const x = key * MERGE_COLUMN_PX;
      return ms.length === 1
        ? (ms[0] as Mark)
        : { x1: x, x2: x, count, severe: ms.some((m) => m.severe), tip: `${ms.length} rows merged, ${count} events; first: ${(ms[0] as Mark).tip}` };
    });
  return [...bars, ...merged];
}

function laneMarks(f: Frame, source: string, index: number, rows: readonly TimelineRow[]): string {
  const colour = laneColour(source);
  const cy = f.plotTop + index * LANE_HEIGHT + LANE_HEIGHT / 2;
  const marks = marksOf(f, rows).map((m) => {
    const radius = markRadius(m.count);
    const tip = `<title>${escapeXml(m.tip)}</title>`;
    const stroke = m.severe ? ' stroke="#7a0000" stroke-width="1.5"' : '';
    // A burst wider than its own mark is drawn as a bar over its span, so duration stays visible.
    if (m.x2 - m.x1 > 2 * radius) {
      return `<rect class="mark burst" x="${n(m.x1)}" y="${n(cy - radius)}" width="${n(m.x2 - m.x1)}" height="${n(2 * radius)}" rx="${n(Math.min(radius, 3))}" fill="${colour}" fill-opacity="0.75"${stroke}>${tip}</rect>`;
    }
    return `<circle class="mark" cx="${n((m.x1 + m.x2) / 2)}" cy="${n(cy)}" r="${n(radius)}" fill="${colour}" fill-opacity="0.75"${stroke}>${tip}</circle>`;
  });
  return [`<g class="lane ${laneClass(source)}" data-lane="${escapeXml(source)}">`, ...marks, '</g>'].join('\n');
}

function legend(f: Frame, tz: string): string[] {
  const headingY = 18;
  const y = 42;
  const heading = showsLocal(tz) ? `Time in UTC (top row) and ${tz} (bottom row)` : 'Time in UTC';
  const items: [string, string][] = [
    [`<rect x="0" y="-10" width="18" height="12" fill="${OUTAGE_FILL}" fill-opacity="0.28"/>`, 'confirmed outage'],
    [`<rect x="0" y="-10" width="18" height="12" fill="${OUTAGE_FILL}" fill-opacity="0.12"/>`, 'unconfirmed'],
    ['<rect x="0" y="-10" width="18" height="12" fill="url(#corr-hatch-artifact)"/>', 'artifact (monitor lied)'],
    [`<circle cx="6" cy="-4" r="3" fill="#555555"/><circle cx="16" cy="-4" r="6" fill="#555555" fill-opacity="0.6"/>`, 'events, size by log(count)'],
  ];
  const out = [`<text class="legend-title" x="${n(f.plotLeft)}" y="${headingY}" ${FONT} font-size="13" fill="#222222">${escapeXml(heading)}</text>`];
  // Legend entries are laid out from the right edge with fixed widths, so positions never depend on font metrics.
  const widths = [150, 115, 170, 190];
  let x = f.plotRight - widths.reduce((a, b) => a + b, 0);
  items.forEach(([swatch, label], i) => {
    out.push(`<g class="legend-item" transform="translate(${n(x)},${y})">${swatch}<text x="26" y="0" ${FONT} font-size="12" fill="#222222">${escapeXml(label)}</text></g>`);
    x += widths[i] ?? 150;
  });
  return out;
}
