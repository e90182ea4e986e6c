/**
 * #17, many small files: a warning every file of a bundle gets (no host is named, lines that go back
 * in time) is said once on stderr with a count and example files, never lost: each file's own
 * warning stays whole in its stored notes (corr sources) and in ingest --json's entries.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepeatedWarnings } from '../../src/ingest/warnings.js';
import { corr, corrJson, tempDir } from '../helpers/cli.js';

describe('RepeatedWarnings', () => {
  it('says the first of a kind whole and counts the files after it, with three examples', () => {
    const said: string[] = [];
    const w = new RepeatedWarnings((l) => said.push(l));
    for (const p of ['/a', '/b', '/c', '/d', '/e']) w.add(p, `no host for ${p}: it is "unknown:${p}"`);
    w.add('/x', 'a warning of its own');
    expect(said).toEqual(['no host for /a: it is "unknown:/a"', 'a warning of its own']);
    expect(w.summary()).toEqual([
      'the same warning for 4 more files (/b, /c, /d, …), each for its own file (its report, in corr sources and ingest --json, says it whole): no host for <file>: it is "unknown:<file>"',
    ]);
  });

  it('counts a file once however often it says it, and says a text naming no file once', () => {
    const said: string[] = [];
    const w = new RepeatedWarnings((l) => said.push(l));
    w.add('/a', '/a: x');
    w.add('/a', '/a: x');
    w.add('/b', '/b: x');
    w.add('/b', '/b: x');
    w.add('/c', 'the same for every file');
    w.add('/d', 'the same for every file');
    expect(said).toEqual(['/a: x', 'the same for every file']);
    expect(w.summary()).toEqual([
      'the same warning for 1 more file (/b), each for its own file (its report, in corr sources and ingest --json, says it whole): <file>: x',
    ]);
  });

  it('keeps texts that differ apart (a count is part of what a warning says)', () => {
    const said: string[] = [];
    const w = new RepeatedWarnings((l) => said.push(l));
    w.add('/a', '/a: 2 lines skipped');
    w.add('/b', '/b: 3 lines skipped');
    expect(said).toEqual(['/a: 2 lines skipped', '/b: 3 lines skipped']);
    expect(w.summary()).toEqual([]);
  });
});

describe('corr ingest of many files that name no host', () => {
  it('one line and a count on stderr; every file keeps its own warning in the store and the document', () => {
    const dir = tempDir();
    const n = 40;
    for (let i = 0; i < n; i++) {
      const sub = join(dir, `d${i % 2}`);
      mkdirSync(sub, { recursive: true });
      // klog lines name no host, so each file is a machine of its own.
      writeFileSync(join(sub, `k${String(i).padStart(2, '0')}.log`), `I0526 10:55:${String(i).padStart(2, '0')}.356944    1203 kubelet.go:473] "SyncLoop UPDATE" pod="kube-system/coredns-${i}"\n`);
    }
    const db = join(tempDir(), 's.db');
    const r = corr(['--db', db, '--json', 'ingest', dir, '--tz', 'UTC', '--year', '2026']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const lines = r.stderr.trim().split('\n');
    const first = join(dir, 'd0', 'k00.log');
    const hostLine = `corr: no host is named for the records of ${first} that name none: they are under "unknown:${first}", a machine of their own (give --host NAME)`;
    // The run's warning, once whole and once counted; the same for the files' own warnings.
    expect(lines.filter((l) => l.includes('no host is named') || l.includes('<file>'))).toHaveLength(4);
    expect(lines).toContain(hostLine);
    expect(lines).toContain(`corr: ${first}: ${hostLine.slice('corr: '.length)}`);
    const summaries = lines.filter((l) => l.startsWith('corr: the same warning for 39 more files ('));
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toContain(`(${join(dir, 'd0', 'k02.log')}, ${join(dir, 'd0', 'k04.log')}, ${join(dir, 'd0', 'k06.log')}, …)`);
    expect(summaries[0]).toContain('no host is named for the records of <file> that name none: they are under "unknown:<file>"');
    // The document: the run's warnings as said, and every file's own, whole.
    expect(doc.warnings).toEqual([hostLine.slice('corr: '.length), summaries[0]!.slice('corr: '.length)]);
    expect(doc.files).toHaveLength(n);
    for (const f of doc.files) expect(f.warnings).toEqual([`no host is named for the records of ${f.path} that name none: they are under "unknown:${f.path}", a machine of their own (give --host NAME)`]);
    // The store keeps them: corr sources shows each file's warning.
    const s = corrJson(['--db', db, 'sources']);
    expect(s.json.sources).toHaveLength(n);
    for (const f of s.json.sources) expect(f.warnings).toEqual([`no host is named for the records of ${f.path} that name none: they are under "unknown:${f.path}", a machine of their own (give --host NAME)`]);
  });
});
