/**
 * #17, many small files: the surveys of a run are held compactly until each file is read
 * (SurveyTable), and real paths by directory. What comes back must be exactly what was surveyed,
 * for every shape of file, and the real path of every walked file what the file system says.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { letLinesGo, realPathOf, surveyFile, SurveyTable, walkInputs, type FileSurvey } from '../../src/ingest/survey.js';

const FILES: Record<string, string | Buffer> = {
  'one.log': 'Mar  1 10:00:00 host-a cron[1]: job 1\nMar  1 10:00:01 host-a cron[1]: job 2\n',
  'empty.log': '',
  'capture.txt': '===== date =====\nTue May 26 19:53:09 UTC 2026\n===== hostname =====\nnode-a\n===== dmesg =====\n[    1.000000] Linux version 6.8\n',
  'mixed.log': 'Mar  1 10:00:00 host-a cron[1]: job 1\nsome text\nmore text\nstill text\nand more\n[    1.000000] Linux version 6.8\n[    2.000000] eth0: up\n[    3.000000] eth0: down\n',
  'notalog.txt': 'just some words\nand some more\n',
  'k.log.gz': gzipSync('I0526 10:55:37.356944    1203 kubelet.go:473] "SyncLoop UPDATE" pod="a"\n'),
  'cut.log.gz': gzipSync('Mar  1 10:00:00 host-a cron[1]: job 1\n'.repeat(50)).subarray(0, 40),
};

describe('SurveyTable', () => {
  it('gives back every survey exactly as it was added (its lines let go)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corr-table-'));
    const table = new SurveyTable();
    const added: FileSurvey[] = [];
    // More than the table's first capacity, so that it grows.
    for (let round = 0; round < 150; round++) {
      for (const [name, body] of Object.entries(FILES)) {
        const path = join(dir, `${round}-${name}`);
        writeFileSync(path, body);
        let s: Awaited<ReturnType<typeof surveyFile>>;
        try {
          s = await surveyFile(path);
        } catch {
          continue; // a .gz with no line at all is an input error, not a survey
        }
        if ('lookedLike' in s) continue;
        letLinesGo(s);
        expect(table.add(s)).toBe(added.length);
        added.push(s);
      }
    }
    expect(table.length).toBe(added.length);
    expect(new Set(added.map((s) => s.sections.length)).size).toBeGreaterThan(2);
    expect(added.some((s) => s.read.stoppedEarly !== null)).toBe(true);
    expect(added.some((s) => Object.keys(s.facts).length > 0)).toBe(true);
    added.forEach((s, i) => {
      expect(table.at(i)).toStrictEqual(s);
      expect(table.path(i)).toBe(s.path);
      expect(table.bytes(i)).toBe(s.read.bytes);
    });
  });
});

describe('real paths of walked files, by directory', () => {
  it('are what realpath says, for files under links, links to files and files given by name', async () => {
    const root = mkdtempSync(join(tmpdir(), 'corr-real-'));
    mkdirSync(join(root, 'data', 'sub'), { recursive: true });
    writeFileSync(join(root, 'data', 'a.log'), 'x\n');
    writeFileSync(join(root, 'data', 'sub', 'b.log'), 'y\n');
    writeFileSync(join(root, 'elsewhere.log'), 'z\n');
    symlinkSync(join(root, 'elsewhere.log'), join(root, 'data', 'link.log'));
    mkdirSync(join(root, 'other'));
    writeFileSync(join(root, 'other', 'c.log'), 'w\n');
    mkdirSync(join(root, 'in'));
    symlinkSync(join(root, 'other'), join(root, 'in', 'linked-dir'));
    const walked = await walkInputs([join(root, 'data'), join(root, 'in'), join(root, 'data', 'a.log')]);
    expect(walked.files.length).toBe(5);
    for (const f of walked.files) expect(realPathOf(walked, f) ?? realpathSync(f)).toBe(realpathSync(f));
    // Derived from the directory for plain files found in it; a link to a file asks the file system.
    expect(realPathOf(walked, join(root, 'data', 'sub', 'b.log'))).toBe(realpathSync(join(root, 'data', 'sub', 'b.log')));
    expect(realPathOf(walked, join(root, 'in', 'linked-dir', 'c.log'))).toBe(realpathSync(join(root, 'other', 'c.log')));
    expect(realPathOf(walked, join(root, 'data', 'link.log'))).toBeNull();
    expect(walked.realDirs.size).toBe(3);
  });
});
