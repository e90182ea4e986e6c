/**
 * An empty journal window covers its span: `journalctl --since "-6h"` that printed
 * `-- No entries --` or nothing says the host logged nothing in that stream then. Spans computed by
 * hand from the capture instant (20:00:00Z) and each --since.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corrJson, tempDir } from '../helpers/cli.js';

interface Entry { section: string | null; coverage: { start: string; end: string }[]; assumptions: string[]; warnings: string[] }

describe('an empty section records coverage', () => {
  it('journalctl windows with no entries cover their stated span, per stream; an empty tail states no start and covers nothing', () => {
    const dir = tempDir('corr-empty-cov-');
    writeFileSync(join(dir, 'o.txt'), [
      '===== date =====', 'Tue May 26 20:00:00 UTC 2026', '===== hostname =====', 'node-a',
      '===== journalctl -u k3s --no-pager --since "-6h" =====', '-- No entries --',
      '===== journalctl -k --no-pager --since "-2h" =====',
      '===== journalctl -u ssh --since "2026-05-26 19:30" =====', '', '-- No entries --', '',
      '===== journalctl --no-pager --since "-30min" =====', '-- No entries --',
      '===== tail -n 50 /var/log/auth.log =====',
      '===== journalctl -u foo --since "-1h" =====', '-- No entries --', 'Failed to open journal: Permission denied',
      '',
    ].join('\n'));
    const db = join(dir, 'c.db');
    const ing = corrJson<{ files: Entry[] }>(['--db', db, 'ingest', join(dir, 'o.txt')]);
    expect(ing.code, ing.stderr).toBe(0);
    const src = corrJson<{ sources: Entry[] }>(['--db', db, 'sources']);
    expect(src.code).toBe(0);
    const cov = (section: string) => src.json.sources.find((s) => s.section === section)!.coverage;
    expect(cov('journalctl -u k3s --no-pager --since "-6h"')).toEqual([{ start: '2026-05-26T14:00:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    expect(cov('journalctl -k --no-pager --since "-2h"')).toEqual([{ start: '2026-05-26T18:00:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    expect(cov('journalctl -u ssh --since "2026-05-26 19:30"')).toEqual([{ start: '2026-05-26T19:30:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    expect(cov('journalctl --no-pager --since "-30min"')).toEqual([{ start: '2026-05-26T19:30:00.000Z', end: '2026-05-26T20:00:00.000Z' }]);
    expect(cov('tail -n 50 /var/log/auth.log')).toEqual([]);
    // A window that printed something no format reads is not silence: no coverage, and a warning.
    const denied = ing.json.files.find((f) => f.section === 'journalctl -u foo --since "-1h"')!;
    expect(denied.coverage).toEqual([]);
    expect(denied.warnings.join(' ')).toContain('not a log');
    // Each stream as the correlator reads it: host and source.
    const rows = corrJson<{ rows: { host: string; source: string }[] }>(['--db', db, 'sql', 'SELECT host, source FROM coverage ORDER BY start_us, source']).json.rows;
    expect(rows.map((r) => `${r.host}/${r.source}`)).toEqual(['node-a/k3s', 'node-a/kernel', 'node-a/*', 'node-a/sshd']);
    const k3s = ing.json.files.find((f) => f.section === 'journalctl -u k3s --no-pager --since "-6h"')!;
    expect(k3s.assumptions.join(' ')).toContain('node-a logged nothing in its k3s stream');
    expect(k3s.warnings).toEqual([]);
  });
});
