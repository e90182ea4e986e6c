/**
 * The events the correlator judges, as columns. The engine asks only for what it needs of event i
 * (instant, kind, host, weight, a few fields); the message, file and line of an event are looked up
 * when a template is mined or an evidence line is printed. A million events are then a few typed
 * arrays instead of a million objects with their messages, which is what made correlate slow and
 * its memory grow with the store.
 *
 * Two implementations: `RowTable` over EventRow objects (tests, callers that hold rows already) and
 * `ColumnTable`, filled by the store's column loader (src/store/queries.ts, loadEventColumns).
 */
import { type Columns, type EventRow, type Fields, type RowLookup, weightOfCount } from '../model/event.js';
import { DETECTORS, FIELD_SPEC } from './detectors.js';

const NO_FIELDS: Fields = Object.freeze({}) as Fields;

export interface EventTable {
  /** Number of events; positions 0..length-1 are in time order (ties by id). */
  readonly length: number;
  ts(i: number): number;
  host(i: number): string;
  source(i: number): string;
  kind(i: number): string;
  /** How many events the row stands for (a `message repeated N times` row weighs N; nonsense weighs 1). */
  weight(i: number): number;
  /** Extracted fields; only guaranteed for the kinds `needsFields` names (an empty object otherwise). */
  fields(i: number): Fields;
  /** Messages of the given positions (any order), fetched together: one query for many. */
  messages(positions: readonly number[]): Map<number, string>;
  /** The whole row (evidence lines). */
  row(i: number): EventRow;
  /**
   * Fetches the rows of these positions together, so that the `row` calls that follow answer
   * without a query each: on ClickHouse every lookup is a round trip (60 ms at load 10), and
   * evidence asked one row at a time was most of correlate's waiting.
   */
  prefetchRows(positions: readonly number[]): void;
  /**
   * The row of position i, fetched when first read, together with every other row asked this way
   * and not read yet: correlate names its findings' evidence as it judges, host by host, and reads
   * the lines only when it writes the result, so all of them cost one lookup (one round trip on
   * ClickHouse) instead of one per finding.
   */
  deferRow(i: number): () => EventRow;
}

export { weightOfCount };
export type { Columns, RowLookup };

/**
 * The events whose fields the correlator reads, derived from the detector records (detectors.ts):
 * the sources and kinds of every detector that reads fields. No second list to forget.
 */
export const FIELD_SOURCES: readonly string[] = FIELD_SPEC.sources;
export const FIELD_KINDS: readonly string[] = FIELD_SPEC.kinds;
/**
 * Every field key a detector reads (its `fields`): the column load may leave the other keys out. A
 * detector reading a key it does not declare would see it missing — so it must declare it.
 */
export const FIELD_KEYS: readonly string[] = [...new Set(DETECTORS.flatMap((d) => d.fields))].sort();

export function needsFields(source: string, kind: string): boolean {
  return FIELD_SOURCES.includes(source) || FIELD_KINDS.includes(kind);
}

/** A table over EventRow objects already in memory, sorted by time (ties by id). */
export class RowTable implements EventTable {
  constructor(private readonly rows: readonly EventRow[]) {}
  get length(): number {
    return this.rows.length;
  }
  ts(i: number): number {
    return this.rows[i]!.tsUs;
  }
  host(i: number): string {
    return this.rows[i]!.host;
  }
  source(i: number): string {
    return this.rows[i]!.source;
  }
  kind(i: number): string {
    return this.rows[i]!.kind;
  }
  weight(i: number): number {
    return weightOfCount(this.rows[i]!.count);
  }
  fields(i: number): Fields {
    return this.rows[i]!.fields;
  }
  messages(positions: readonly number[]): Map<number, string> {
    return new Map(positions.map((i) => [i, this.rows[i]!.message]));
  }
  prefetchRows(): void {
    // The rows are here already.
  }
  deferRow(i: number): () => EventRow {
    return () => this.rows[i]!;
  }
  row(i: number): EventRow {
    return this.rows[i]!;
  }
}

export class ColumnTable implements EventTable {
  private readonly rowCache = new Map<number, EventRow>();
  /** Positions asked by deferRow and not fetched yet: the next read of any of them fetches them all. */
  private deferred: number[] = [];
  constructor(
    private readonly c: Columns,
    private readonly lookup: RowLookup,
  ) {}
  get length(): number {
    return this.c.length;
  }
  ts(i: number): number {
    return this.c.tsUs[i]!;
  }
  host(i: number): string {
    return this.c.strings[this.c.host[i]!]!;
  }
  source(i: number): string {
    return this.c.strings[this.c.source[i]!]!;
  }
  kind(i: number): string {
    return this.c.strings[this.c.kind[i]!]!;
  }
  weight(i: number): number {
    return this.c.weight[i]!;
  }
  fields(i: number): Fields {
    return (this.c.fieldsAt ? this.c.fieldsAt(i) : this.c.fields[i]) ?? NO_FIELDS;
  }
  messages(positions: readonly number[]): Map<number, string> {
    const byId = this.lookup.messages(positions.map((i) => this.c.id[i]!));
    const out = new Map<number, string>();
    for (const i of positions) out.set(i, byId.get(this.c.id[i]!) ?? '');
    return out;
  }
  prefetchRows(positions: readonly number[]): void {
    const missing = [...new Set(positions)].filter((i) => !this.rowCache.has(i));
    if (missing.length === 0) return;
    const byId = this.lookup.rows(missing.map((i) => this.c.id[i]!));
    for (const i of missing) {
      const r = byId.get(this.c.id[i]!);
      if (r !== undefined) this.rowCache.set(i, r);
    }
  }
  deferRow(i: number): () => EventRow {
    if (!this.rowCache.has(i)) this.deferred.push(i);
    return () => {
      if (!this.rowCache.has(i) && this.deferred.length > 0) {
        const wanted = this.deferred;
        this.deferred = [];
        this.prefetchRows(wanted);
      }
      return this.row(i);
    };
  }
  row(i: number): EventRow {
    let r = this.rowCache.get(i);
    if (r === undefined) {
      const id = this.c.id[i]!;
      r = this.lookup.rows([id]).get(id);
      if (r === undefined) throw new Error(`event ${id} vanished from the store while correlating`);
      this.rowCache.set(i, r);
    }
    return r;
  }
}

/** The table for an events argument that may be rows or a table already. */
export function asTable(events: readonly EventRow[] | EventTable): EventTable {
  return Array.isArray(events) ? new RowTable(events as readonly EventRow[]) : (events as EventTable);
}
