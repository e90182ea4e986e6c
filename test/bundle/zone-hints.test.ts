/**
 * UTC offsets on lines as zone hints for their zoneless siblings: never a fixed offset as the zone,
 * only evidence to pick or check an IANA zone. Instants computed by hand:
 *   - node-c's journal says +01:00 on 2024-01-10 (winter). Of the zones the bundle states
 *     (America/New_York for node-a, Europe/Berlin for node-b), only Europe/Berlin was +01:00 then;
 *     node-c's auth.log (no zone of its own) is read in Europe/Berlin, so `Jul 15 10:00:00` is CEST,
 *     +02:00: 2024-07-15T08:00:00Z — the fixed +01:00 would give 09:00Z, New York 14:00Z;
 *   - with no zone stated anywhere, the hint narrows but cannot pick: the line is read in the
 *     machine's zone (UTC here: 10:00Z) with a warning that names --tz and agreeing zones;
 *   - a capture whose timedatectl says America/New_York but whose journal lines say +01:00 keeps
 *     New York (the stated zone) with a warning naming both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corrJson, tempDir } from '../helpers/cli.js';
import { agreeingZones, lineOffset, zoneAgrees } from '../../src/ingest/context/zone-hints.js';

interface Entry { path: string; section: string | null; tz: string | null; assumptions: string[]; warnings: string[] }

const capture = (host: string, zone: string, abbrev: string, offset: string) =>
  `===== hostname =====\n${host}\n===== timedatectl =====\n               Local time: Wed 2024-01-10 10:00:00 ${abbrev}\n                Time zone: ${zone} (${abbrev}, ${offset})\n`;
const JOURNAL = [
  '2024-01-10T09:00:00+01:00 node-c kernel: e1000e: eth0 NIC Link is Up',
  '2024-01-10T09:30:00.250+01:00 node-c systemd[1]: Started Daily apt upgrade.',
].join('\n') + '\n';
const AUTH = 'Jul 15 10:00:00 node-c sshd[811]: Accepted publickey for root from 10.0.0.1 port 4242 ssh2\n';

function ingest(dir: string, extra: string[] = []) {
  const r = corrJson<{ files: Entry[]; warnings?: string[] }>(['--db', join(dir, 'c.db'), 'ingest', dir, '--year', '2024', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const events = corrJson<{ events: { ts: string; file: string }[] }>(['--db', join(dir, 'c.db'), 'timeline', '--no-collapse', '--source', 'sshd']).json.events;
  return { files: r.json.files, sshd: events.map((e) => e.ts) };
}

describe('offsets on lines as zone hints', () => {
  it('pick the one zone the bundle states that had those offsets, with its own DST rules', () => {
    const dir = tempDir('corr-zone-hint-');
    for (const d of ['a', 'b', 'c']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'a', 'output.txt'), capture('node-a', 'America/New_York', 'EST', '-0500'));
    writeFileSync(join(dir, 'b', 'output.txt'), capture('node-b', 'Europe/Berlin', 'CET', '+0100'));
    writeFileSync(join(dir, 'c', 'journal.txt'), JOURNAL);
    writeFileSync(join(dir, 'c', 'auth.log'), AUTH);
    const { files, sshd } = ingest(dir);
    expect(sshd).toEqual(['2024-07-15T08:00:00.000Z']);
    const auth = files.find((f) => f.path.endsWith('auth.log'))!;
    expect(auth.tz).toBe('Europe/Berlin');
    const why = auth.assumptions.find((a) => a.startsWith('zone Europe/Berlin'))!;
    expect(why).toContain('carry offset +01:00 from 2024-01-10T08:00:00.000Z to 2024-01-10T08:30:00.250Z');
    expect(why).toContain('the only zone the bundle states');
    expect(auth.warnings.join(' ')).not.toContain('several zones');
  });

  it('only narrow the zone when the bundle states none: the machine zone, a warning naming --tz and the agreeing zones', () => {
    const dir = tempDir('corr-zone-hint-');
    writeFileSync(join(dir, 'journal.txt'), JOURNAL);
    writeFileSync(join(dir, 'auth.log'), AUTH);
    const { files, sshd } = ingest(dir);
    expect(sshd).toEqual(['2024-07-15T10:00:00.000Z']); // UTC: the tests' machine zone
    const auth = files.find((f) => f.path.endsWith('auth.log'))!;
    expect(auth.tz).toBe('UTC');
    expect(auth.assumptions.join(' ')).toContain('zone hint: 2 lines of');
    const w = auth.warnings.find((x) => x.includes('pass --tz'))!;
    expect(w).toContain('Europe/Berlin');
    expect(w).toContain('where UTC is +00:00');
    // --tz is the user's word: no hint is checked against it.
    const dir2 = tempDir('corr-zone-hint-');
    writeFileSync(join(dir2, 'journal.txt'), JOURNAL);
    writeFileSync(join(dir2, 'auth.log'), AUTH);
    const given = ingest(dir2, ['--tz', 'America/Chicago']);
    expect(given.sshd).toEqual(['2024-07-15T15:00:00.000Z']);
    expect(given.files.flatMap((f) => f.warnings).join(' ')).not.toContain('offset');
  });

  it('check a stated zone: a capture whose own offsets contradict its timedatectl keeps the zone and says both', () => {
    const dir = tempDir('corr-zone-hint-');
    writeFileSync(join(dir, 'output.txt'), capture('node-c', 'America/New_York', 'EST', '-0500') +
      '===== journalctl -o short-iso =====\n' + JOURNAL + '===== tail -n 5 /var/log/auth.log =====\n' + AUTH);
    const { files, sshd } = ingest(dir);
    expect(sshd).toEqual(['2024-07-15T14:00:00.000Z']); // 10:00 EDT
    const tail = files.find((f) => f.section?.startsWith('tail'))!;
    expect(tail.tz).toBe('America/New_York');
    const w = tail.warnings.find((x) => x.includes('carries offset'))!;
    expect(w).toContain('is read in America/New_York');
    expect(w).toContain('carries offset +01:00 at 2024-01-10T08:00:00.000Z, where America/New_York is -05:00');
  });
});

describe('zone-hints', () => {
  it('reads the offset of the line\'s own stamp, checked against the parsed instant', () => {
    const us = Date.parse('2024-01-10T08:00:00Z') * 1000;
    expect(lineOffset('2024-01-10T09:00:00+01:00 host x: y', us)).toBe(60);
    expect(lineOffset('<34>1 2024-01-10T03:00:00.123-05:00 host app - - - msg', us + 123_000)).toBe(-300);
    expect(lineOffset('2024-01-10T09:00:00+0100 host x: y', us)).toBe(60);
    // A time quoted in the message, not the line's own instant: no hint.
    expect(lineOffset('Jan 10 08:00:00 host x: next run 2024-02-01T00:00:00+01:00', us)).toBeNull();
  });

  it('agreement is by instant: +01:00 in January and +02:00 in July is Berlin, not a fixed offset', () => {
    const jan = { offsetMin: 60, us: Date.parse('2024-01-10T08:00:00Z') * 1000, where: 'x' };
    const jul = { offsetMin: 120, us: Date.parse('2024-07-10T08:00:00Z') * 1000, where: 'x' };
    expect(zoneAgrees('Europe/Berlin', [jan, jul])).toBe(true);
    expect(zoneAgrees('Africa/Lagos', [jan, jul])).toBe(false); // +01:00 all year
    const both = agreeingZones([jan, jul]);
    expect(both).toContain('Europe/Paris');
    expect(both).not.toContain('Africa/Lagos');
    expect(agreeingZones([jan])).toContain('Africa/Lagos');
  });
});
