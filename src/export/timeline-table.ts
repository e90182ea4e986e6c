/**
 * The timeline as a terminal table, one row at a time: UTC, optionally the display zone, host,
 * source, count and the message with its `file:line` under it. Log text is escaped before it is
 * measured and wrapped; severity colour and the dim `file:line` are painted per wrapped line.
 */
import { escapeTerminal } from '../text/escape.js';
import type { TimelineRow } from '../timeline/types.js';
import { StreamTable, type ColumnSpec } from './table.js';
import type { RowWriter } from './records.js';
import type { Style } from './style.js';
import { wallClock, zonedClock } from './zoned.js';

function utcClock(us: number): string {
  return wallClock(Math.floor(us / 1000), 0, 'yyyy-LL-dd HH:mm:ss');
}

export function timelineTableWriter(zone: string | undefined, width: number, style: Style): RowWriter {
  const showLocal = zone !== undefined && zone !== 'UTC';
  const columns: ColumnSpec[] = [
    { title: 'UTC', width: 19 },
    ...(showLocal ? [{ title: escapeTerminal(zone!), width: Math.min(24, Math.max(18, zone!.length)) }] : []),
    { title: 'host', width: 12 },
    { title: 'source', width: 7 },
    { title: 'count', width: 6, align: 'right' as const },
    { title: 'message', flex: true },
  ];
  const table = new StreamTable(columns, width, style.bold);
  return {
    head: () => table.head(),
    row: (r: TimelineRow) => {
      const span = r.lastUs > r.firstUs;
      const cells = [
        utcClock(r.firstUs) + (span ? `\n…${utcClock(r.lastUs).slice(11)}` : ''),
        ...(showLocal ? [zonedClock(Math.floor(r.firstUs / 1000), zone!, 'LL-dd HH:mm:ss') + (span ? `\n…${zonedClock(Math.floor(r.lastUs / 1000), zone!, 'HH:mm:ss')}` : '')] : []),
        escapeTerminal(r.host),
        escapeTerminal(r.source),
        r.count > 1 ? `×${r.count}` : '',
        [
          { text: escapeTerminal(r.message), paint: style.severity(r.severity) },
          { text: escapeTerminal(`${r.file}:${r.line}`), paint: style.dim },
        ],
      ];
      return table.row(cells);
    },
    tail: (rows, events, truncated) => style.dim(`${rows} rows (${events} events)${truncated ? '; cut at --limit' : ''}`) + '\n',
  };
}
