/**
 * Every regular expression that sees log text runs in linear time: a pathological 100k-character
 * line goes through every format's detect() and parse(), the classifiers, the masker, the section
 * header rule and the escapers in milliseconds. A backtracking regex takes seconds to hours on these,
 * so the bound (200 ms per call, generous for a loaded 2-core machine) separates the two without
 * being a flaky tight timing.
 */
import { describe, expect, it } from 'vitest';
import { ALL_FORMATS } from '../../src/ingest/formats/index.js';
import { classify } from '../../src/ingest/classify/index.js';
import { maskMessage } from '../../src/text/mask.js';
import { headerTitle, factCommand } from '../../src/ingest/sections.js';
import { detectFormat } from '../../src/ingest/detect.js';
import { escapeTerminal, escapeHtml, escapeMarkdownText, csvCell, markdownCodeSpan } from '../../src/text/escape.js';

const N = 100_000;
const BOUND_MS = 200;

/** Runs of one kind, and short motifs repeated, that make backtracking regexes explode. */
const PATHOLOGICAL: Record<string, string> = {
  spaces: ' '.repeat(N),
  letters: 'a'.repeat(N),
  brackets: '['.repeat(N),
  digits: '1'.repeat(N),
  colons: ':'.repeat(N),
  'letter-space': 'a '.repeat(N / 2),
  'digit-dot': '1.'.repeat(N / 2),
  'digit-colon': '1:'.repeat(N / 2),
  'key=': 'a='.repeat(N / 2),
  quotes: '"'.repeat(N),
  'quote-backslash': '\\"'.repeat(N / 2),
  'open-bracket-digit': '[1'.repeat(N / 2),
  equals: '='.repeat(N),
  tabs: '\t'.repeat(N),
  braces: '{"a":'.repeat(N / 5),
};

/** Each motif alone, after a real line's first 40 characters, and after a whole real line. */
function hostileLines(): { name: string; line: string }[] {
  const prefixes = new Set<string>(['']);
  for (const f of ALL_FORMATS) {
    const s = f.samples[0]!.line;
    prefixes.add(s.slice(0, 40));
    prefixes.add(s + ' ');
  }
  const out: { name: string; line: string }[] = [];
  for (const [kind, body] of Object.entries(PATHOLOGICAL)) {
    for (const p of prefixes) out.push({ name: `${kind} after ${JSON.stringify(p.slice(0, 24))}`, line: p + body });
  }
  return out;
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** Time fn on every hostile line; fail naming the slowest case past the bound. */
function expectLinear(what: string, fn: (line: string) => unknown, lines = hostileLines()): void {
  let worst = { ms: 0, name: '' };
  for (const { name, line } of lines) {
    let { ms } = timed(() => fn(line));
    // A GC pause or a busy neighbour can stall one call; a backtracking regex is slow every time.
    for (let retry = 0; retry < 2 && ms >= BOUND_MS; retry++) ms = Math.min(ms, timed(() => fn(line)).ms);
    if (ms > worst.ms) worst = { ms, name };
  }
  expect(worst.ms, `${what}: slowest on ${worst.name} (${worst.ms.toFixed(0)} ms)`).toBeLessThan(BOUND_MS);
}

describe('linear time on pathological lines', () => {
  for (const format of ALL_FORMATS) {
    it(`${format.name}: parse() and detect()`, () => {
      expectLinear(`${format.name}.parse`, (line) => format.parse(line, null));
      expectLinear(`${format.name}.detect`, (line) => format.detect([line, line.slice(0, 5000)]));
      // And with a previous event, which continuation rules look at.
      const prev = format.parse(format.samples[0]!.line, null);
      const prevEvent = prev && prev.type === 'event' ? prev.event : null;
      expectLinear(`${format.name}.parse after an event`, (line) => format.parse(line, prevEvent));
    });
  }

  it('format detection over a head of hostile lines', () => {
    expectLinear('detectFormat', (line) => detectFormat([line, line, line]));
  });

  it('the classifiers (sshd, k3s, kernel, other programs)', () => {
    for (const program of ['sshd', 'k3s', 'kernel', 'containerd', undefined]) {
      expectLinear(`classify(${program})`, (line) => classify(program, line));
      expectLinear(`classify(${program}) of an sshd-looking message`, (line) => classify(program, `Failed password for invalid user ${line} from 1.2.3.4 port 22 ssh2`));
    }
  });

  it('the masker', () => {
    expectLinear('maskMessage', (line) => maskMessage(line));
  });

  it('the section header rule and fact commands', () => {
    expectLinear('headerTitle', (line) => headerTitle(line));
    expectLinear('headerTitle of a header-looking line', (line) => headerTitle('=== ' + line));
    expectLinear('factCommand', (line) => factCommand(line));
    expectLinear('factCommand of a date-looking line', (line) => factCommand('date ' + line));
  });

  it('the escapers for terminal, HTML, Markdown and CSV', () => {
    // They do not care what a line starts with: the motifs alone (and with an escape) suffice.
    const bare = Object.entries(PATHOLOGICAL).flatMap(([name, body]) => [
      { name, line: body },
      { name: `${name} with ESC`, line: '\x1b[31m' + body + '\u202e' },
    ]);
    expectLinear('escapeTerminal', escapeTerminal, bare);
    expectLinear('escapeHtml', escapeHtml, bare);
    expectLinear('escapeMarkdownText', escapeMarkdownText, bare);
    expectLinear('markdownCodeSpan', (l) => markdownCodeSpan(l, { inTable: true }), bare);
    expectLinear('csvCell', csvCell, bare);
  });

  it('the bound would catch a backtracking regex (control)', () => {
    // (a+)+$ on 25 a's and a '!' takes about a second: far past the bound.
    const evil = /^(a+)+$/;
    const { ms } = timed(() => evil.test('a'.repeat(25) + '!'));
    expect(ms).toBeGreaterThan(BOUND_MS);
  });
});
