import { describe, expect, it } from 'vitest';
import { tickLabels, ticks } from '../../src/report/axis.js';
import { MAX_MARKS_PER_LANE, markRadius, renderSvg } from '../../src/report/svg.js';
import { seedLikeInput } from './fixture.js';

const attrs = (svg: string, pattern: RegExp) => [...svg.matchAll(pattern)].map((m) => m[1]);
const texts = (svg: string, cls: string) => attrs(svg, new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'));

describe('renderSvg', () => {
  it('draws one lane per source present, in the fixed order, sized for the page', () => {
    const svg = renderSvg(seedLikeInput());
    expect(attrs(svg, /<g class="lane [^"]*" data-lane="([^"]*)"/g)).toEqual(['kernel', 'k3s', 'sshd', 'probe', 'syslog']);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="corr-timeline" width="1000" height="420" /);
    const input = seedLikeInput();
    input.timeline = input.timeline.filter((r) => r.source === 'kernel' || r.source === 'probe');
    const two = renderSvg(input, { width: 1200 });
    expect(attrs(two, /data-lane="([^"]*)"/g)).toEqual(['kernel', 'probe']);
    expect(two).toContain('width="1200" height="240"');
  });

  it('shades every outage across all lanes by status, artifacts hatched', () => {
    const svg = renderSvg(seedLikeInput());
    expect(attrs(svg, /<rect class="outage (outage-[a-z]+)"/g)).toEqual([
      'outage-confirmed',
      'outage-confirmed',
      'outage-unconfirmed',
      'outage-artifact',
      'outage-artifact',
    ]);
    const artifact = svg.split('\n').filter((l) => l.startsWith('<rect class="outage outage-artifact"'));
    for (const l of artifact) expect(l).toContain('fill="url(#corr-hatch-artifact)"');
    expect(svg).toContain('<pattern id="corr-hatch-artifact"');
    // Confirmed windows are a stronger tint than unconfirmed ones.
    const opacity = (cls: string) => Number(/fill-opacity="([0-9.]+)"/.exec(svg.split('\n').find((l) => l.startsWith(`<rect class="outage ${cls}"`)) as string)?.[1]);
    expect(opacity('outage-confirmed')).toBeGreaterThan(opacity('outage-unconfirmed'));
  });

  it('sizes marks by log(count) and draws long bursts as bars', () => {
    expect(markRadius(10)).toBeGreaterThan(markRadius(1));
    expect(markRadius(100) - markRadius(10)).toBeCloseTo(markRadius(10) - markRadius(1), 6);
    expect(markRadius(1e12)).toBeLessThanOrEqual(14);
    const svg = renderSvg(seedLikeInput());
    // The 750-attempt brute force spans 100 minutes: a bar. Single probe lines: circles.
    expect(svg).toMatch(/<rect class="mark burst"[^>]*><title>2026-05-27 00:10:00 UTC ×750 /);
    expect(svg.match(/<circle class="mark"/g)?.length).toBeGreaterThan(8);
  });

  it('labels the axis in UTC and, on a second row, the local zone', () => {
    const svg = renderSvg(seedLikeInput());
    const utc = texts(svg, 'tick-utc');
    const local = texts(svg, 'tick-local');
    expect(utc.length).toBeGreaterThanOrEqual(3);
    expect(local.length).toBe(utc.length);
    expect(utc[0]).toBe('05-27 01:00');
    expect(local[0]).toBe('05-26 18:00');
    expect(texts(svg, 'axis-zone')).toEqual(['UTC', 'PDT']);
    const utcOnly = renderSvg(seedLikeInput({ tz: 'UTC' }));
    expect(texts(utcOnly, 'tick-local')).toEqual([]);
    expect(utcOnly).toContain('>Time in UTC</text>');
  });

  it('escapes hostile text from the logs', () => {
    const input = seedLikeInput({ title: `</title><script>x()</script>` });
    const svg = renderSvg(input);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(svg).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('uses fixed-decimal coordinates and is byte-identical across runs', () => {
    const svg = renderSvg(seedLikeInput());
    for (const v of attrs(svg, / (?:x|y|cx|cy|r|width|x1|x2)="(-?[0-9.]+)"/g)) expect(v).toMatch(/^-?\d+(\.\d)?$/);
    expect(renderSvg(seedLikeInput())).toBe(svg);
  });

  it('still draws a frame with a note when nothing is in scope', () => {
    const svg = renderSvg(seedLikeInput({ timeline: [], result: { outages: [], findings: [] } }));
    expect(svg).toContain('No events in scope');
    expect(svg).not.toContain('data-lane');
    expect(svg).toContain('height="180"');
  });

  it('merges point marks per pixel column in a lane with too many rows, keeping every event counted', () => {
    const input = seedLikeInput();
    const template = input.timeline.find((r) => r.source === 'syslog')!;
    const start = template.tsUs;
    const rows = MAX_MARKS_PER_LANE + 500;
    input.timeline = Array.from({ length: rows }, (_, i) => ({ ...template, id: i, tsUs: start + i * 1e6, firstUs: start + i * 1e6, lastUs: start + i * 1e6, count: 2 }));
    const svg = renderSvg(input);
    const marks = svg.match(/<circle class="mark"/g)?.length ?? 0;
    expect(marks).toBeGreaterThan(10);
    expect(marks).toBeLessThan(MAX_MARKS_PER_LANE);
    const counted = [...svg.matchAll(/<title>(\d+) rows merged, (\d+) events|<title>[^<]* ×(\d+) /g)].reduce(
      (sum, m) => sum + (m[2] !== undefined ? Number(m[2]) : Number(m[3])),
      0,
    );
    expect(counted).toBe(rows * 2);
  });

  it('matches the golden figure', async () => {
    await expect(renderSvg(seedLikeInput())).toMatchFileSnapshot('golden/seed-like.svg');
  });
});

describe('axis ticks', () => {
  it('picks a round step that gives at most the asked number of ticks, on UTC multiples', () => {
    const start = Date.parse('2026-05-27T00:07:00Z');
    const end = Date.parse('2026-05-27T04:50:00Z');
    const { stepMs, at } = ticks(start, end, 8);
    expect(stepMs).toBe(3_600_000);
    expect(at.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['01:00', '02:00', '03:00', '04:00']);
    expect(ticks(start, start + 90_000, 8).stepMs).toBe(15_000);
  });

  it('puts the date on the first label and whenever the day changes in that zone', () => {
    const at = ['2026-05-26T22:00:00Z', '2026-05-27T00:00:00Z', '2026-05-27T02:00:00Z'].map(Date.parse);
    expect(tickLabels(at, 7_200_000, 'utc')).toEqual(['05-26 22:00', '05-27 00:00', '02:00']);
    expect(tickLabels(at, 7_200_000, 'America/Los_Angeles')).toEqual(['05-26 15:00', '17:00', '19:00']);
  });
});
