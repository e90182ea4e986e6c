/**
 * Raw dmesg matched to the same boot's journal kernel lines when the two come in separate runs,
 * in either order: the boot is placed inside the later section's transaction, at the earliest
 * (wall − uptime) pair, exactly as within one run. Instants computed by hand below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Boot { host: string; path: string; boot: string | null; precision_s: number | null; why: string }

// The boot: 08:00:33.250Z. journald read the early lines when it started (delays of 7.5 … 4.3 s).
const BOOT_MS = Date.parse('2024-05-27T08:00:33.250Z');
const LINES: [number, number, string][] = [
  [0.5, 7.5, 'Linux version 6.8.0-31-generic'],
  [1.25, 6.8, 'Command line: BOOT_IMAGE=/vmlinuz ro quiet'],
  [3.7, 4.3, 'e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex'],
  [12.5, 0.2, 'br0: port 1(veth1) entered forwarding state'],
  [40.1, 0.05, 'nf_conntrack: nf_conntrack: table full, dropping packet'],
];
// Journal stamps are whole seconds: 08:00:41, 08:00:41, 08:00:41, 08:00:45, 08:01:13. The pairs
// (wall − uptime) are 40.5, 39.75, 37.3, 32.5 and 32.9 s past 08:00: the earliest, 08:00:32.500,
// is the boot to within the stamps' one second: [08:00:32.500, 08:00:33.500].
const LOW_MS = Date.parse('2024-05-27T08:00:32.500Z');
const pad = (u: number) => `[${u.toFixed(6).padStart(12)}]`;
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2)} ${d.toISOString().slice(11, 19)}`;
};
const DMESG = LINES.map(([u, , m]) => `${pad(u)} ${m}`).join('\n') + '\n';
const JOURNAL = '-- Logs begin at Mon 2024-05-27 08:00:40 UTC, end at Mon 2024-05-27 09:00:00 UTC. --\n' +
  LINES.map(([u, d, m]) => `${stamp(BOOT_MS + (u + d) * 1000)} node-a kernel: ${m}`).join('\n') + '\n';

function setup() {
  const dir = tempDir('corr-match-runs-');
  mkdirSync(join(dir, 'j'));
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'j', 'journal.txt'), JOURNAL);
  writeFileSync(join(dir, 'd', 'dmesg.txt'), DMESG);
  return { dir, db: join(dir, 'c.db') };
}
function run(db: string, args: string[]) {
  const r = corrJson<{ files: { path: string; host: string | null; assumptions: string[]; warnings: string[] }[] }>(['--db', db, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}
function placed(db: string) {
  const b = run(db, ['sources']) as unknown as { boots: Boot[] };
  const boot = b.boots.find((x) => x.path.endsWith('dmesg.txt'))!;
  const rows = (run(db, ['sql', "SELECT ts_us, uptime_us FROM events WHERE uptime_us IS NOT NULL ORDER BY uptime_us"]) as unknown as { rows: { ts_us: number | null; uptime_us: number }[] }).rows;
  return { boot, rows };
}
function expectPlaced(db: string) {
  const { boot, rows } = placed(db);
  expect(boot.host).toBe('node-a');
  expect(boot.why).toContain('matched');
  const at = Date.parse(boot.boot!);
  expect(at).toBeGreaterThanOrEqual(LOW_MS);
  expect(at).toBeLessThanOrEqual(LOW_MS + 1000);
  // Every raw line is placed at that boot plus its uptime.
  expect(rows).toHaveLength(LINES.length);
  for (const r of rows) expect(r.ts_us).toBe(at * 1000 + r.uptime_us);
  return at;
}

describe('dmesg and the journal of the same boot, in separate runs', () => {
  it('the journal first, the raw dmesg in a later run: placed when the dmesg is read', () => {
    const { dir, db } = setup();
    run(db, ['ingest', join(dir, 'j'), '--tz', 'UTC']);
    run(db, ['ingest', join(dir, 'd'), '--host', 'node-a']);
    expectPlaced(db);
  });

  it('the raw dmesg first (stored unplaced), the journal later: the stored boot is placed by the journal\'s section', () => {
    const { dir, db } = setup();
    const first = run(db, ['ingest', join(dir, 'd'), '--host', 'node-a']);
    expect(first.files[0]!.warnings.join(' ')).toContain('no boot anchor');
    expect(placed(db).boot.boot).toBeNull();
    const second = run(db, ['ingest', join(dir, 'j'), '--tz', 'UTC']);
    const at = expectPlaced(db);
    // The ingest's own report shows the dmesg section placed now, its warning gone.
    const d = second.files.find((f) => f.path.endsWith('dmesg.txt'));
    if (d) expect(d.warnings.join(' ')).not.toContain('no boot anchor');
    // The same instant as one run over both.
    const both = setup();
    mkdirSync(join(both.dir, 'all'));
    writeFileSync(join(both.dir, 'all', 'journal.txt'), JOURNAL);
    writeFileSync(join(both.dir, 'all', 'dmesg.txt'), DMESG);
    run(both.db, ['ingest', join(both.dir, 'all'), '--tz', 'UTC']);
    expect(expectPlaced(both.db)).toBe(at);
  });
});
