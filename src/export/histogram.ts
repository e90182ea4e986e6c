/**
 * `timeline --histogram`: events per time bucket per source (or kind), one row per series, one
 * block character per bucket (▁▂▃▄▅▆▇█, a blank for none). The bucket is the smallest "round"
 * size (1 s … 1 day) that fits the window into the cells the output has room for, so a glance
 * shows where the activity is. Heights are relative to each row's busiest bucket (a scanner's
 * thousands and a probe's dozens both stay readable); the row's total and peak are printed beside it.
 */
import { DateTime } from 'luxon';
import { escapeTerminal, truncateMiddle } from '../text/escape.js';
import type { EventRow } from '../store/types.js';
import type { Style } from './style.js';
import { columnsOf } from './width.js';
import { wrapColumns } from './table.js';

const SECOND = 1_000_000;
/** Round bucket sizes, in microseconds. */
export const BUCKETS_US = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map((s) => s * SECOND);
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** Cells when the output has no width (a file). */
export const DEFAULT_CELLS = 60;

/** The smallest round bucket that puts [startUs, endUs) into at most `cells` buckets. */
export function bucketFor(spanUs: number, cells: number): number {
  for (const b of BUCKETS_US) if (Math.ceil(spanUs / b) <= cells) return b;
  return Math.ceil(spanUs / cells / BUCKETS_US.at(-1)!) * BUCKETS_US.at(-1)!;
}

function label(us: number): string {
  const s = us / SECOND;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} min`;
  if (s < 86400) return `${s / 3600} h`;
  return `${s / 86400} d`;
}

function iso(us: number): string {
  return DateTime.fromMillis(Math.floor(us / 1000), { zone: 'UTC' }).toFormat("yyyy-LL-dd HH:mm:ss'Z'");
}

export class Histogram {
  readonly bucketUs: number;
  readonly buckets: number;
  readonly startUs: number;
  private readonly series = new Map<string, number[]>();

  constructor(startUs: number, endUs: number, cells: number, readonly by: 'source' | 'kind', readonly nameBudget: number = 24) {
    const span = Math.max(endUs - startUs, 1);
    this.bucketUs = bucketFor(span, Math.max(cells, 1));
    // Buckets aligned to the bucket size (5-minute buckets start at :00, :05 ...).
    this.startUs = Math.floor(startUs / this.bucketUs) * this.bucketUs;
    this.buckets = Math.max(1, Math.ceil((endUs - this.startUs) / this.bucketUs));
  }

  add(e: EventRow): void {
    const i = Math.floor((e.tsUs - this.startUs) / this.bucketUs);
    if (i < 0 || i >= this.buckets) return;
    const name = this.by === 'kind' ? e.kind : e.source;
    let s = this.series.get(name);
    if (!s) this.series.set(name, (s = new Array<number>(this.buckets).fill(0)));
    s[i]! += e.count;
  }

  toJson() {
    return {
      by: this.by,
      bucket_s: this.bucketUs / SECOND,
      start: new Date(this.startUs / 1000).toISOString(),
      end: new Date((this.startUs + this.buckets * this.bucketUs) / 1000).toISOString(),
      series: [...this.series.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, counts]) => ({ name, total: counts.reduce((a, b) => a + b, 0), counts })),
    };
  }

  render(style: Style, width: number = Number.POSITIVE_INFINITY): string {
    const rows = this.toJson().series;
    if (rows.length === 0) return '';
    // Names longer than the budget the bars were sized with are shortened in the middle.
    const names = rows.map((r) => {
      const n = escapeTerminal(r.name);
      return columnsOf(n) > this.nameBudget ? truncateMiddle(n, this.nameBudget) : n;
    });
    const nameWidth = Math.min(this.nameBudget, Math.max(...names.map(columnsOf), this.by.length));
    const lines: string[] = [];
    for (const l of wrapColumns(`events per ${label(this.bucketUs)}, ${iso(this.startUs)} .. ${iso(this.startUs + this.buckets * this.bucketUs)}; each row scaled to its busiest ${label(this.bucketUs)}`, width)) lines.push(style.dim(l));
    lines.push(style.bold(`${this.by.padEnd(nameWidth)}  ${'time →'.padEnd(this.buckets)}  ${'total'.padStart(8)}  ${'peak'.padStart(6)}`));
    rows.forEach((r, k) => {
      const peak = Math.max(...r.counts);
      const bars = r.counts.map((n) => (n === 0 ? ' ' : BLOCKS[Math.min(7, Math.max(0, Math.ceil((n / peak) * 8) - 1))]!)).join('');
      lines.push(`${names[k]!.padEnd(nameWidth + names[k]!.length - columnsOf(names[k]!))}  ${bars}  ${String(r.total).padStart(8)}  ${String(peak).padStart(6)}`);
    });
    return lines.join('\n') + '\n';
  }
}

/** Cells for the bars: the output width less the name, total and peak columns; DEFAULT_CELLS for a file. */
export function histogramCells(width: number, nameWidth: number): number {
  if (!Number.isFinite(width)) return DEFAULT_CELLS;
  return Math.max(10, width - nameWidth - 2 - 2 - 8 - 2 - 6);
}
