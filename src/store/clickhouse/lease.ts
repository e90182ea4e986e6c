/**
 * A lease per section attempt (schema 4, table `leases`; docs/fleet.md "Leases").
 *
 * Why: without one, nothing in the store tells a dead attempt from a live one. Two ingesters of the
 * same file both wrote every row of it (the completion mark picked one attempt for the readers);
 * and the rows of an ingester killed half-way stayed on disk for good, since a section without a
 * mark may be one another ingester is writing at this moment.
 *
 * The protocol, with nothing but inserts and reads (ClickHouse has no compare-and-set):
 * - **Claim**: write my lease (held, expiring LEASE_S from the server's clock), then read the
 *   section's other leases. If none is live I hold the section. Otherwise I withdraw mine and wait
 *   until the section is stored (then it is skipped, as stored) or the other lease ends (then I
 *   claim again, after a random pause so two withdrawn claimants do not meet again).
 *   Two claimants cannot both win: whichever read comes second follows both writes, so it sees the
 *   other's lease (a winner never withdraws).
 * - **Keep**: the holder renews while it writes (a third of the lease at most between renewals) and
 *   once more just before its completion mark. A renewal is a conditional insert that the server
 *   runs only while the lease is still held and unexpired by its own clock, so a holder that was
 *   stalled past its lease (and may have been taken over) cannot come back: it stops with an error.
 * - **Dead**: others treat a lease as live until GRACE_S past its expiry — the margin that covers a
 *   renewal whose check ran just before the expiry and whose row landed after. A lease whose holder
 *   is a process on this machine (same boot and pid namespace) that no longer runs is dead at once:
 *   a `kill -9`'d ingester does not hold its section for the whole lease.
 * - **Reap**: an attempt whose lease is given up (rolled back) or dead, and which no completion mark
 *   names, can never count: its rows are deleted (`reapAbandoned`).
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { StoreError } from '../../errors.js';
import { type ClickHouseConnection, int, lit, tsvField } from './connection.js';
import { nextVer } from './ids.js';

/** Seconds a lease lasts without renewal: CORR_CLICKHOUSE_LEASE_S, 900 by default. */
export function leaseSeconds(): number {
  const v = process.env.CORR_CLICKHOUSE_LEASE_S;
  if (v === undefined || v === '') return 900;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new StoreError(`CORR_CLICKHOUSE_LEASE_S must be a whole number of seconds from 1 to 86400, not ${JSON.stringify(v)}`);
  return n;
}

/** Seconds past its expiry a lease still counts as live for others (a tenth of the lease, at least 1). */
export function graceSeconds(lease: number): number {
  return Math.max(1, Math.ceil(lease / 10));
}

export const HELD = 0;
/** Given up by its holder (rolled back): its rows, if any, never count. */
export const RELEASED = 1;
/** Its attempt committed: the completion mark names it. */
export const DONE = 2;
/** Its rows were deleted (reapAbandoned). */
export const REAPED = 3;
/** A claim withdrawn before anything was written under it. */
export const WITHDRAWN = 4;

const LEASE_COLUMNS = ['section_id', 'attempt', 'holder', 'place', 'pid', 'state', 'expires', 'ver'];

/** The process as other ingesters on this machine can check it: boot id and pid namespace. */
function place(): string {
  let boot = '';
  let ns = '';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    ns = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: no lease is judged dead by its pid, only by its expiry.
  }
  return boot && ns ? `${boot}/${ns}` : '';
}

const HERE = place();

function running(pid: number): boolean {
  if (existsSync('/proc') && !existsSync(`/proc/${pid}`)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class Lease {
  private readonly seconds = leaseSeconds();
  private renewed = Date.now();
  private ended = false;

  private constructor(
    private readonly conn: ClickHouseConnection,
    readonly sectionId: number,
    readonly attempt: number,
  ) {}

  /**
   * Hold the section for this attempt, or null once `stored()` says another ingester stored it
   * while this one waited.
   */
  static claim(conn: ClickHouseConnection, sectionId: number, attempt: number, stored: () => boolean): Lease | null {
    const lease = new Lease(conn, sectionId, attempt);
    for (;;) {
      lease.write(HELD);
      if (lease.liveOthers() === 0) return lease;
      lease.write(WITHDRAWN);
      // Wait for the other holder: its mark (the section is stored) or the end of its lease.
      for (;;) {
        pause(200 + Math.floor(Math.random() * 400));
        if (stored()) return null;
        if (lease.liveOthers() === 0) break;
      }
      pause(Math.floor(Math.random() * 300));
      if (stored()) return null;
    }
  }

  private write(state: number): void {
    this.conn.command(
      `INSERT INTO leases SELECT ${int(this.sectionId)}, ${int(this.attempt)}, ${lit(`${hostname()} pid ${process.pid}`)}, ${lit(HERE)}, ${int(process.pid)}, ${state},
       toUInt32(now()) + ${int(this.seconds)}, ${int(nextVer())}`,
    );
  }

  /** Other attempts' leases on the section that are live (a dead local holder's are not). */
  private liveOthers(): number {
    const rows = this.conn.rows(
      `SELECT place, pid FROM leases FINAL WHERE section_id = ${int(this.sectionId)} AND attempt != ${int(this.attempt)} AND state = ${HELD}
       AND expires + ${int(graceSeconds(this.seconds))} > toUInt32(now())`,
    );
    return rows.filter((r) => !(HERE !== '' && String(r[0]) === HERE && !running(Number(r[1])))).length;
  }

  /** Renew when a third of the lease has passed since the last renewal (called as rows go out). */
  keep(): void {
    if (Date.now() - this.renewed >= (this.seconds * 1000) / 3) this.renew();
  }

  /**
   * Extend the lease, only if it is still held and unexpired by the server's clock; otherwise
   * another ingester may hold the section now and this attempt must not complete.
   */
  renew(): void {
    const held = `(SELECT count() FROM leases FINAL WHERE section_id = ${int(this.sectionId)} AND attempt = ${int(this.attempt)} AND state = ${HELD} AND expires > toUInt32(now())) = 1`;
    const ver = nextVer();
    this.conn.command(
      `INSERT INTO leases SELECT ${int(this.sectionId)}, ${int(this.attempt)}, ${lit(`${hostname()} pid ${process.pid}`)}, ${lit(HERE)}, ${int(process.pid)}, ${HELD},
       toUInt32(now()) + ${int(this.seconds)}, ${int(ver)} FROM system.one WHERE ${held}`,
    );
    const now = this.conn.rows(`SELECT ver FROM leases FINAL WHERE section_id = ${int(this.sectionId)} AND attempt = ${int(this.attempt)}`);
    if (now.length === 0 || Number(now[0]![0]) !== ver) {
      this.ended = true;
      throw new StoreError(
        `${this.conn.url.shown}: this ingester's lease on a section ran out (${this.seconds} s without renewal; CORR_CLICKHOUSE_LEASE_S) and another may have taken it over: nothing of the section was completed; run ingest again`,
      );
    }
    this.renewed = Date.now();
  }

  /**
   * After the completion mark: the lease is done. Posted without waiting (the mark already tells
   * every other ingester the section is stored; this row only keeps `leases` readable).
   */
  done(): void {
    if (this.ended) return;
    this.ended = true;
    const row = [this.sectionId, this.attempt, tsvField(`${hostname()} pid ${process.pid}`), tsvField(HERE), process.pid, DONE, 0, nextVer()].join('\t');
    this.conn.insertTsvAsync('leases', LEASE_COLUMNS, `${row}\n`, 1);
  }

  /** On a rollback: given up, so nobody waits for its expiry and its rows can be reaped. */
  release(): void {
    if (this.ended) return;
    this.ended = true;
    this.write(RELEASED);
  }
}

/**
 * Delete the rows of attempts that can never count: leases given up or dead (GRACE_S past expiry,
 * or a local holder gone), whose section's mark names another attempt or none. One mutation per
 * table, and only when there is something to delete (a mutation rewrites the table's parts).
 * Returns how many attempts were reaped.
 */
export function reapAbandoned(conn: ClickHouseConnection, tables: readonly string[]): number {
  const seconds = leaseSeconds();
  const candidates = conn.rows(
    `SELECT section_id, attempt, state, expires + ${int(graceSeconds(seconds))} <= toUInt32(now()), place, pid FROM leases FINAL
     WHERE state IN (${HELD}, ${RELEASED}) AND (section_id, attempt) NOT IN (SELECT id, attempt FROM sections FINAL)`,
  );
  const expired = candidates.filter((r) => Number(r[2]) === RELEASED || Number(r[3]) === 1 || (HERE !== '' && String(r[4]) === HERE && !running(Number(r[5]))));
  if (expired.length === 0) return 0;
  const set = expired.map((r) => `(${int(Number(r[0]))}, ${int(Number(r[1]))})`).join(', ');
  for (const table of tables) conn.mutate(table, `DELETE WHERE (section_id, attempt) IN (${set})`);
  const ver = nextVer();
  conn.command(
    `INSERT INTO leases SELECT section_id, attempt, holder, place, pid, ${REAPED}, expires, ${int(ver)} FROM leases FINAL WHERE (section_id, attempt) IN (${set})`,
  );
  return expired.length;
}
