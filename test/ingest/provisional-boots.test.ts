/**
 * Raw dmesg rows are placed at insert time when the capture states its boot instant (pipeline.ts,
 * boots.ts). The placement is only a prediction: lines read with both clocks (twins) outrank it,
 * a boot fact that does not fit the lines is refused, and a provisionally placed row is never taken
 * as a twin's evidence. Each case checks the instants actually stored.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type DB } from '../../src/store/db.js';
import { ingest } from '../../src/ingest/pipeline.js';

const BOOT = Date.UTC(2026, 4, 20, 8, 12, 33) * 1000; // uptime -s 2026-05-20 08:12:33 (UTC)

function capture(bootLine: string, dateLine: string, dmesg: string[]): string {
  return [
    '===== date =====', dateLine,
    '===== hostname =====', 'kai-server',
    '===== uptime -s =====', bootLine,
    '===== dmesg =====', ...dmesg, '',
  ].join('\n');
}

const DMESG = [
  '[    5.000000] eth0: link becomes ready',
  '[   10.000000] EXT4-fs (sda1): mounted filesystem',
  '[   20.500000] only in the raw capture',
];

/** kern.log with both clocks, `skewS` seconds after the boot instant uptime -s gives. */
function kernLog(skewS: number): string {
  const at = (uptimeS: number): string => {
    const d = new Date((BOOT / 1000) + (uptimeS + skewS) * 1000);
    const hh = String(d.getUTCHours()).padStart(2, '0');
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    const ss = String(d.getUTCSeconds()).padStart(2, '0');
    return `May 20 ${hh}:${mm}:${ss}`;
  };
  return [
    `${at(5)} kai-server kernel: [    5.000000] eth0: link becomes ready`,
    `${at(10)} kai-server kernel: [   10.000000] EXT4-fs (sda1): mounted filesystem`,
    '',
  ].join('\n');
}

async function run(files: Record<string, string>, extra: { bootUs?: number } = {}): Promise<DB> {
  const dir = mkdtempSync(join(tmpdir(), 'corr-boots-'));
  const inputs = join(dir, 'in');
  mkdirSync(inputs);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(inputs, name), text);
  const db = openStore(join(dir, 'c.db'), { create: true });
  await ingest(db, [inputs], { replace: false, tz: 'UTC', tzFor: [], year: 2026, ...extra });
  return db;
}

function rawRows(db: DB): { uptime_us: number; ts_us: number | null }[] {
  return db
    .prepare("SELECT uptime_us, ts_us FROM events WHERE raw LIKE '[%' ORDER BY uptime_us")
    .all() as { uptime_us: number; ts_us: number | null }[];
}

function rawBoot(db: DB): { anchor_us: number | null; anchor_why: string | null } {
  return db
    .prepare("SELECT b.anchor_us, b.anchor_why FROM boots b JOIN sections s ON s.id = b.section_id WHERE s.format = 'dmesg-raw'")
    .get() as { anchor_us: number | null; anchor_why: string | null };
}

describe('provisional placement of raw dmesg rows', () => {
  it('places the rows at the uptime -s instant when nothing outranks it', async () => {
    const db = await run({ 'a-capture.txt': capture('2026-05-20 08:12:33', '2026-05-20T09:00:00Z', DMESG) });
    const rows = rawRows(db);
    expect(rows.map((r) => r.ts_us)).toEqual([BOOT + 5_000_000, BOOT + 10_000_000, BOOT + 20_500_000]);
    expect(rawBoot(db).anchor_us).toBe(BOOT);
    expect(rawBoot(db).anchor_why).toMatch(/uptime -s/);
    const section = db.prepare("SELECT unanchored, first_us, last_us FROM sections WHERE format = 'dmesg-raw'").get();
    expect(section).toEqual({ unanchored: 0, first_us: BOOT + 5_000_000, last_us: BOOT + 20_500_000 });
  });

  it('moves the rows to the twins\' anchor when kern.log is read after the capture', async () => {
    const db = await run({ 'a-capture.txt': capture('2026-05-20 08:12:33', '2026-05-20T09:00:00Z', DMESG), 'b-kern.log': kernLog(7) });
    expect(rawBoot(db).anchor_us).toBe(BOOT + 7_000_000);
    expect(rawBoot(db).anchor_why).toMatch(/same lines read with a wall-clock time/);
    // The row only the raw capture holds follows the twins' anchor, not uptime -s.
    expect(rawRows(db).at(-1)!.ts_us).toBe(BOOT + 7_000_000 + 20_500_000);
  });

  it('moves the rows to the twins\' anchor when kern.log was read before the capture', async () => {
    const db = await run({ 'a-kern.log': kernLog(-3), 'b-capture.txt': capture('2026-05-20 08:12:33', '2026-05-20T09:00:00Z', DMESG) });
    expect(rawBoot(db).anchor_us).toBe(BOOT - 3_000_000);
    expect(rawRows(db).find((r) => r.uptime_us === 20_500_000)!.ts_us).toBe(BOOT - 3_000_000 + 20_500_000);
    const section = db.prepare("SELECT unanchored, last_us FROM sections WHERE format = 'dmesg-raw'").get();
    expect(section).toEqual({ unanchored: 0, last_us: BOOT - 3_000_000 + 20_500_000 });
  });

  it('takes the rows back out of time when the boot fact does not fit them', async () => {
    // The capture (08:09:00) is dated before the boot uptime -s states (08:12:33): no line fits.
    const db = await run({ 'a-capture.txt': capture('2026-05-20 08:12:33', '2026-05-20T08:09:00Z', DMESG) });
    expect(rawRows(db).map((r) => r.ts_us)).toEqual([null, null, null]);
    expect(rawBoot(db).anchor_us).toBeNull();
    const section = db.prepare("SELECT unanchored, first_us, last_us, (SELECT group_concat(text, ' | ') FROM notes n WHERE n.section_id = s.id AND n.level = 'warning') AS warnings FROM sections s WHERE format = 'dmesg-raw'").get() as {
      unanchored: number; first_us: number | null; last_us: number | null; warnings: string;
    };
    expect([section.unanchored, section.first_us, section.last_us]).toEqual([3, null, null]);
    expect(section.warnings).toMatch(/does not fit these lines/);
    expect(section.warnings).toMatch(/3 kernel lines have only an uptime stamp/);
  });

  it('never takes a provisionally placed row as a twin: each capture keeps its own boot fact', async () => {
    const db = await run({
      'a-capture.txt': capture('2026-05-20 08:12:33', '2026-05-20T09:00:00Z', DMESG),
      'b-capture.txt': capture('2026-05-20 08:12:35', '2026-05-20T09:00:00Z', DMESG),
    });
    const boots = db.prepare('SELECT anchor_us, anchor_why FROM boots ORDER BY id').all() as { anchor_us: number; anchor_why: string }[];
    expect(boots.map((b) => b.anchor_us)).toEqual([BOOT, BOOT + 2_000_000]);
    for (const b of boots) expect(b.anchor_why).toMatch(/uptime -s/);
    // The second capture's lines are duplicates of the first's: stored once, at the first's instant.
    expect(rawRows(db).map((r) => r.ts_us)).toEqual([BOOT + 5_000_000, BOOT + 10_000_000, BOOT + 20_500_000]);
  });

  it('places the rows at --boot-time, which outranks the capture\'s own fact', async () => {
    const bootUs = BOOT - 60_000_000;
    const db = await run({ 'a-capture.txt': capture('2026-05-20 08:12:33', '2026-05-20T09:00:00Z', DMESG) }, { bootUs });
    expect(rawRows(db).map((r) => r.ts_us)).toEqual([bootUs + 5_000_000, bootUs + 10_000_000, bootUs + 20_500_000]);
    expect(rawBoot(db).anchor_why).toMatch(/--boot-time/);
  });
});
