import { describe, expect, it } from 'vitest';
import { defaultTitle } from '../../src/report/anchor.js';
import { independentCauseCount } from '../../src/report/findings.js';
import { renderHtml } from '../../src/report/html.js';
import { markdownText, renderMarkdown } from '../../src/report/markdown.js';
import { HOSTILE_LINK, HOSTILE_TICKS, HOSTILE_USER, seedLikeInput } from './fixture.js';
import { cellSeparators, linesOutsideFences, withoutCodeSpans } from './mdcheck.js';

const render = (figure: { href: string } | null = { href: 'report.svg' }) => renderMarkdown(seedLikeInput(), figure);

function headings(md: string, level: string): string[] {
  return linesOutsideFences(md).filter((l) => l.startsWith(level + ' ')).map((l) => l.slice(level.length + 1));
}

/** The lines of a section, from its heading to the next `## `. */
function section(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  return end < 0 ? rest : rest.slice(0, end);
}

describe('renderMarkdown on a seed-like incident', () => {
  it('follows the shape of the seed postmortem', () => {
    expect(headings(render(), '#')).toEqual(['kai-server outage on 2026-05-26']);
    expect(headings(render(), '##')).toEqual([
      'Symptom that opened the session',
      'Cause 1 — bridge-churn',
      'Cause 2 — template-burst',
      'Symptoms',
      'Probe trust',
      'Background (not load-bearing)',
      'Inconclusive',
      'Timeline',
      'Assumptions and coverage',
      'Lessons',
      'Out of scope',
    ]);
  });

  it('anchors the reader: span in UTC and local time, causes and window counts', () => {
    const anchor = render().split('\n## ')[0] as string;
    expect(anchor).toContain('2026-05-27 00:18:00–04:46:00 UTC (2026-05-26 17:18:00–21:46:00 PDT)');
    expect(anchor).toContain('**2 independent causes**');
    expect(anchor).toContain('5 outage windows: 2 confirmed, 1 unconfirmed, 2 artifact');
    expect(anchor).toContain('![Timeline](report.svg)');
  });

  it('counts independent causes by story, or by cause finding without stories', () => {
    const grouped = seedLikeInput();
    grouped.result.stories = [{ id: 'S1', findings: ['F1', 'F5'], summary: 'one story' }];
    expect(independentCauseCount(grouped)).toBe(1);
    const ungrouped = seedLikeInput();
    delete ungrouped.result.stories;
    expect(independentCauseCount(ungrouped)).toBe(2);
    expect(renderMarkdown(grouped, null)).toContain('**1 independent cause**');
  });

  it('links the figure only when there is one, with its path encoded', () => {
    expect(render(null)).not.toContain('![Timeline]');
    expect(render({ href: 'out dir/fig (1).svg' })).toContain('![Timeline](out%20dir/fig%20%281%29.svg)');
  });

  it('shows the opening window from every source, silent ones included', () => {
    const lines = section(render(), 'Symptom that opened the session');
    expect(lines.join('\n')).toContain('lasted 9.0 min');
    expect(lines).toContain('| probe | 0 | silent inside the window |');
    expect(lines.find((l) => l.startsWith('| kernel | 12 |'))).toContain('diag/output.txt:233');
  });

  it('tabulates each cause against the windows with leads, lags and misses', () => {
    const lines = section(render(), 'Cause 1 — bridge-churn');
    expect(lines).toContain('| Window (UTC) | Window (America/Los_Angeles) | Status | F1 bridge-churn | F2 apiserver-timeout |');
    expect(lines.find((l) => l.startsWith('| 2026-05-27 00:18:00'))).toContain('| confirmed | hit, leads by 20 s | hit, lags by 3.0 min |');
    expect(lines.find((l) => l.startsWith('| 2026-05-27 02:16:00'))).toContain('| unconfirmed | hit, lags by 5 s | miss |');
    // Artifact windows are a lying monitor's, not outages to explain.
    expect(lines.some((l) => l.startsWith('| 2026-05-27 04:41'))).toBe(false);
    expect(lines).toContain('- Chance alignment: p = 0.004');
    expect(lines).toContain('00:17:40Z  diag/output.txt:233  br-3f2a1b entered blocking state');
  });

  it('says from when the probe can be believed and why not after', () => {
    const text = section(render(), 'Probe trust').join('\n');
    expect(text).toContain('**Believable until 2026-05-27 04:37:13 UTC (2026-05-26 21:37:13 PDT).**');
    expect(text).toContain('- Period: 4.0 min (240 s)');
    expect(text).toContain('transitions are periodic');
  });

  it('marks the brute force as not load-bearing, with its numbers', () => {
    const text = section(render(), 'Background (not load-bearing)').join('\n');
    expect(text).toContain('**Not load-bearing.**');
    expect(text).toContain('- Source IP: `60.163.139.198`');
    expect(text).toContain('- Attempts: 3075');
    expect(text).toContain('- Distinct user names: 57');
    expect(text).toContain('- Rate: 7.5 per minute');
  });

  it('collapses bursts in the timeline and keeps every table row to its columns', () => {
    const lines = section(render(), 'Timeline').filter((l) => l.startsWith('|'));
    const columns = cellSeparators(lines[0] as string);
    expect(columns).toBe(8);
    for (const row of lines) expect(cellSeparators(row), row).toBe(columns);
    expect(lines.find((l) => l.includes('auth.log:14'))).toContain('| ×750 |');
  });

  it('lists every assumption per source and leaves Lessons and Out of scope to the author', () => {
    const md = render();
    expect(section(md, 'Assumptions and coverage').join('\n')).toContain('Assumption: year 2026 from the file modification time');
    expect(section(md, 'Lessons').filter((l) => l !== '')).toEqual(['- _(to be written)_']);
    expect(section(md, 'Out of scope').filter((l) => l !== '')).toEqual(['- _(to be written)_']);
  });

  it('keeps hostile user names, file names, options and titles inert', () => {
    const input = seedLikeInput({ title: `# ${HOSTILE_LINK} ${HOSTILE_USER}` });
    const md = renderMarkdown(input, { href: 'r.svg' });
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(md).toContain('\\x1b[31mred');
    // The one link is our own figure; everything else must be inert.
    expect(linesOutsideFences(md).filter((l) => withoutCodeSpans(l).includes(']('))).toEqual(['![Timeline](r.svg)']);
    for (const line of linesOutsideFences(md).filter((l) => l !== '![Timeline](r.svg)')) {
      const live = withoutCodeSpans(line);
      expect(live, line).not.toMatch(/<script|<\/script/i);
      expect(live, line).not.toMatch(/(^|[^\\])\]\(/);
      expect(live, line).not.toContain('http://');
    }
    expect(md.startsWith('# \\# \\[x\\]\\(http\\:')).toBe(true);
    expect(md).toContain(HOSTILE_TICKS.replace('|', '\\|'));
  });

  it('renders a 100k-character hostile line quickly and cut in the middle', () => {
    const input = seedLikeInput();
    const huge = 'a`_*['.repeat(20_000);
    (input.timeline[0] as { message: string }).message = huge;
    (input.result.findings[0] as { evidence: { text: string }[] }).evidence[0]!.text = huge;
    const started = performance.now();
    const md = renderMarkdown(input, null);
    const html = renderHtml(input);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(html.length).toBeLessThan(200_000);
    expect(md.length).toBeLessThan(100_000);
    expect(md).toContain('…');
  });

  it('is byte-identical across runs and process time zones', () => {
    const first = render();
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      expect(render()).toBe(first);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('matches the golden draft', async () => {
    await expect(render()).toMatchFileSnapshot('golden/seed-like.md');
  });
});

describe('markdownText', () => {
  it('leaves plain prose readable and escapes anything with markup', () => {
    expect(markdownText('2026-05-27 00:18:00–00:27:00 UTC (PDT), p = 0.004')).toBe('2026-05-27 00:18:00–00:27:00 UTC (PDT), p = 0.004');
    expect(markdownText('America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(markdownText('- not a list')).toBe('\\- not a list');
    expect(markdownText('1. not a list')).toBe('1\\. not a list');
    expect(markdownText('_emphasis_')).toBe('\\_emphasis\\_');
    expect(markdownText('see http://evil')).toBe('see http\\://evil');
    expect(markdownText('www.evil.example')).not.toBe('www.evil.example');
    expect(markdownText('a\nb')).toBe('a\\\\nb');
  });
});

describe('defaultTitle', () => {
  it('names the hosts and the first outage date in the report zone', () => {
    const input = seedLikeInput();
    // The first outage starts 00:18 UTC on the 27th, which is still the 26th in Los Angeles.
    expect(defaultTitle(input.result, input.timeline, input.sources, 'America/Los_Angeles')).toBe('Postmortem: kai-server outage on 2026-05-26');
    expect(defaultTitle(input.result, input.timeline, input.sources, 'UTC')).toBe('Postmortem: kai-server outage on 2026-05-27');
    expect(defaultTitle({ outages: [], findings: [] }, [], [], 'UTC')).toBe('Postmortem: outage');
  });
});
