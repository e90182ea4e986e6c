import { describe, expect, it } from 'vitest';
import { tickLabels, ticks } from '../../src/report/render/axis.js';
import { barHeight, renderSvg } from '../../src/report/render/svg.js';
import { seedLikeInput } from './fixture.js';

const attrs = (svg: string, pattern: RegExp) => [...svg.matchAll(pattern)].map((m) => m[1]);
const texts = (svg: string, cls: string) => attrs(svg, new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'));
/** [x, width] of every rect of a class, in document order. */
const rects = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<rect class="${cls}" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"`, 'g'))].map((m) => [Number(m[1]), Number(m[2])] as const);

describe('renderSvg', () => {
  it('draws the outage band, the probe, then one lane per finding labelled with id, kind and verdict', () => {
    const svg = renderSvg(seedLikeInput());
    expect(attrs(svg, /<g class="lane [^"]*" data-lane="([^"]*)"/g)).toEqual(['outages', 'probe', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6']);
    expect(texts(svg, 'lane-label').slice(2)).toEqual(['F1 bridge-churn', 'F2 apiserver-timeout', 'F3 ssh-bruteforce', 'F4 probe-artifact', 'F5 template-burst', 'F6 template-burst']);
    expect(texts(svg, 'lane-sub').slice(2)).toEqual(['cause', 'symptom', 'background', 'artifact', 'cause', 'inconclusive']);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="corr-timeline" width="1200" height="422" /);
  });

  it('draws each burst and each lying window apart, with a minimum width for short ones', () => {
    const svg = renderSvg(seedLikeInput());
    const lying = rects(svg, 'outage outage-artifact');
    expect(lying).toHaveLength(2);
    expect(rects(svg, 'mark lying-window')).toHaveLength(2);
    const real = [...rects(svg, 'outage outage-confirmed'), ...rects(svg, 'outage outage-unconfirmed')];
    expect(real).toHaveLength(3);
    for (const [, w] of [...real, ...lying]) expect(w).toBeGreaterThanOrEqual(5);
    // Neighbours never touch: the 04:41 and 04:45 windows stay two marks.
    expect(lying[0]![0] + lying[0]![1]).toBeLessThan(lying[1]![0]);
    const bursts = svg.match(/<rect class="mark burst"/g) ?? [];
    expect(bursts).toHaveLength(3 + 2 + 1);
  });

  it('puts every kind of mark in the legend', () => {
    const svg = renderSvg(seedLikeInput());
    const legend = attrs(svg, /<g class="legend-item"[^>]*>.*?<text[^>]*>([^<]*)<\/text><\/g>/g);
    expect(legend).toEqual([
      'real outage (shaded faintly across every lane)',
      'down window only a lying monitor saw',
      'probe line: down / up',
      'cause burst',
      'symptom burst',
      'background burst',
      'inconclusive burst',
      'evidence line',
      'a monitor begins to lie / a cause stops',
    ]);
    // Without a lying monitor there is no hatched mark, and no legend entry for one.
    const honest = seedLikeInput();
    honest.result.outages = honest.result.outages.filter((o) => o.status !== 'artifact');
    honest.result.findings = honest.result.findings.filter((f) => f.verdict !== 'artifact');
    const plain = renderSvg(honest);
    expect(plain).not.toContain('only a lying monitor');
    expect(plain).not.toContain('url(#corr-hatch-artifact)"');
    expect(svg).toContain('F4 lies from 04:37:13 UTC');
  });

  it('sizes bars by log(count), within the lane', () => {
    expect(barHeight(10)).toBeGreaterThan(barHeight(1));
    expect(barHeight(100) - barHeight(10)).toBeCloseTo(barHeight(10) - barHeight(1), 6);
    expect(barHeight(1e12)).toBeLessThanOrEqual(26);
  });

  it('labels the axis in UTC and, on a second row, the local zone', () => {
    const svg = renderSvg(seedLikeInput());
    const utc = texts(svg, 'tick-utc');
    const local = texts(svg, 'tick-local');
    expect(utc.length).toBeGreaterThanOrEqual(3);
    expect(local.length).toBe(utc.length);
    expect(utc[0]).toBe('05-27 00:00');
    expect(local[0]).toBe('05-26 17:00');
    expect(texts(svg, 'axis-zone')).toEqual(['UTC', 'America/Los_Angeles (PDT)']);
    const utcOnly = renderSvg(seedLikeInput({ tz: 'UTC' }));
    expect(texts(utcOnly, 'tick-local')).toEqual([]);
    expect(utcOnly).toContain('>Time in UTC; bar height');
  });

  it('escapes hostile text from the logs', () => {
    const input = seedLikeInput({ title: `</title><script>x()</script>` });
    input.timeline.push({ ...input.timeline.find((r) => r.source === 'probe')!, message: '<script>window.pwned=1</script>' });
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

  it('still draws a frame when nothing is in scope', () => {
    const svg = renderSvg(seedLikeInput({ timeline: [], result: { outages: [], findings: [], stories: [] } }));
    expect(attrs(svg, /data-lane="([^"]*)"/g)).toEqual(['outages']);
    expect(svg).toContain('0 real, 0 lying');
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
