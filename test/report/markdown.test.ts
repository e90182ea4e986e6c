import { describe, expect, it } from 'vitest';
import { defaultTitle } from '../../src/report/sections/intro.js';
import { renderHtml } from '../../src/report/render/html.js';
import { markdownText, renderMarkdown } from '../../src/report/render/markdown.js';
import { HOSTILE_LINK, HOSTILE_TICKS, HOSTILE_USER, seedLikeInput } from './fixture.js';
import { cellSeparators, linesOutsideFences, withoutCodeSpans } from './mdcheck.js';

const render = (figure: { href: string } | null = { href: 'report.svg' }) => renderMarkdown(seedLikeInput(), figure);

function headings(md: string, level: string): string[] {
  return linesOutsideFences(md).filter((l) => l.startsWith(level + ' ')).map((l) => l.slice(level.length + 1));
}

/** The lines of a section, from its heading to the next `## `. */
function section(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${heading}`));
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  return end < 0 ? rest : rest.slice(0, end);
}

describe('renderMarkdown on a seed-like incident', () => {
  it('follows the shape of the seed postmortem: one section per independent story', () => {
    expect(headings(render(), '#')).toEqual(['kai-server outage on 2026-05-26']);
    expect(headings(render(), '##')).toEqual([
      'Symptom that opened the session',
      'Story 1 — cause: F1 bridge-churn',
      'Story 2 — cause: F5 template-burst',
      'Story 3 — background: F3 ssh-bruteforce',
      'Story 4 — artifact: F4 probe-artifact, a monitor that lied',
      'Story 5 — inconclusive: F6 template-burst',
      'Timeline',
      'Lessons',
      'Out of scope',
      'How to apply',
      'Assumptions and coverage',
    ]);
    const h3 = headings(render(), '###');
    expect(new Set(h3).size, 'no two subheadings alike').toBe(h3.length);
  });

  it('anchors the reader: span in UTC and local time, the stories counted, window counts', () => {
    const anchor = render().split('\n## ')[0] as string;
    expect(anchor).toContain('2026-05-27 00:18:00–04:46:00 UTC (2026-05-26 17:18:00–21:46:00 PDT)');
    expect(anchor).toContain('**5 independent stories**');
    expect(anchor).toContain('(2 causes, 1 background signal, 1 lying monitor, 1 other signal)');
    expect(anchor).toContain('3 real outage windows (2 confirmed), and 2 windows only a lying monitor saw.');
    expect(anchor).toContain('![Timeline: one lane per finding, the probe and the outage windows](report.svg)');
  });

  it('links the figure only when there is one, with its path encoded', () => {
    expect(render(null)).not.toContain('![Timeline');
    expect(render({ href: 'out dir/fig (1).svg' })).toContain('](out%20dir/fig%20%281%29.svg)');
  });

  it('opens with the first window and what still logged inside it', () => {
    const text = section(render(), 'Symptom that opened the session').join('\n');
    expect(text).toContain('lasted 9 min on kai-server');
    expect(text).toContain('Still logging inside the first window: `k3s` (1), `kernel` (12), `sshd` (750). Silent there: ');
    expect(text).toContain('_(to fill: e.g. ssh timed out');
  });

  it('tabulates each cause against the real windows, with the judge\'s hits', () => {
    const lines = section(render(), 'Story 1');
    expect(lines).toContain('| \\# | Window (UTC) | Window (America/Los_Angeles) | Status | F1 bridge-churn | F2 apiserver-timeout |');
    // Only confirmed windows are judged: the unconfirmed W3 has no hit, whatever fell in it.
    expect(lines.find((l) => l.startsWith('| W1 '))).toBe('| W1 | 2026-05-27 00:18:00–00:27:00 | 2026-05-26 17:18:00–17:27:00 PDT | confirmed | leads by 20 s | follows by 3 min |');
    expect(lines.find((l) => l.startsWith('| W3 '))).toBe('| W3 | 2026-05-27 02:16:00–02:17:30 | 2026-05-26 19:16:00–19:17:30 PDT | unconfirmed | — | — |');
    expect(lines.some((l) => l.startsWith('| W4'))).toBe(false);
    expect(lines).toContain('- Outage onsets reached: 2 of 2; chance of that alignment: p = 0.004');
    expect(lines).toContain('00:17:40Z  diag/output.txt:233  br-3f2a1b entered blocking state');
    expect(lines.join('\n')).toContain('**Mechanism:** _(to fill: how does bridge-churn take the host down?');
  });

  it('says from when the probe can be believed, lists its false windows and why', () => {
    const text = section(render(), 'Story 4').join('\n');
    expect(text).toContain('**Believable until 2026-05-27 04:37:13 UTC (2026-05-26 21:37:13 PDT).**');
    expect(text).toContain('- Fake cycle: every 4 min');
    expect(text).toContain('transitions are periodic');
    expect(text).toContain('Its 2 down windows from then on, none of them real (UTC): 04:41:00–04:42:00, 04:45:00–04:46:00.');
  });

  it('marks the brute force as not load-bearing, with its numbers in one style', () => {
    const text = section(render(), 'Story 3').join('\n');
    expect(text).toContain('**Not load-bearing.**');
    expect(text).toContain('- Source address: `60.163.139.198`');
    expect(text).toContain('- Attempts: 3075');
    expect(text).toContain('- Distinct user names: 57');
    expect(text).toContain('- Rate: 7.5 a minute');
  });

  it('keeps the timeline to key moments, with rows for the operator and the full command', () => {
    const lines = section(render(), 'Timeline');
    const rows = lines.filter((l) => l.startsWith('|'));
    const columns = cellSeparators(rows[0] as string);
    for (const row of rows) expect(cellSeparators(row), row).toBe(columns);
    expect(rows.find((l) => l.includes('begins to lie'))).toContain('2026-05-27 04:37:13');
    expect(rows.filter((l) => l.includes('_(to fill: what the operator did'))).toHaveLength(3);
    expect(lines.join('\n')).toContain("`corr timeline --since '2026-05-26 17:00 PT' --until 19:50 --tz America/Los_Angeles`");
  });

  it('pre-fills lessons from the findings, each marked as a draft', () => {
    const lessons = section(render(), 'Lessons').filter((l) => /^\d+\. /.test(l));
    expect(lessons[0]).toBe('1. **Draft:** **Probes must validate output, not just exit codes.** `F4 probe-artifact` kept reporting plausible state while it lied.');
    expect(lessons[1]).toContain('**Draft:** **The public allowlist must live in the repo');
    expect(section(render(), 'Out of scope').join('\n')).toContain('`F6 template-burst`: inconclusive in the data');
  });

  it('keeps hostile user names, file names, options and titles inert', () => {
    const input = seedLikeInput({ title: `# ${HOSTILE_LINK} ${HOSTILE_USER}` });
    const f5 = input.result.findings.find((f) => f.id === 'F5');
    if (f5?.kind !== 'template-burst') throw new Error('fixture: F5 is a template burst');
    f5.template = HOSTILE_TICKS;
    const md = renderMarkdown(input, { href: 'r.svg' });
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(md).toContain('\\x1b[31mred');
    const figureLine = linesOutsideFences(md).find((l) => l.startsWith('![Timeline'));
    expect(linesOutsideFences(md).filter((l) => /(^|[^\\])\]\(/.test(withoutCodeSpans(l)))).toEqual([figureLine]);
    for (const line of linesOutsideFences(md).filter((l) => l !== figureLine)) {
      const live = withoutCodeSpans(line);
      expect(live, line).not.toMatch(/<script|<\/script/i);
      expect(live, line).not.toMatch(/(^|[^\\])\]\(/);
      expect(live, line).not.toContain('http://');
    }
    expect(md.startsWith('# \\# \\[x\\](http\\://evil.example/)')).toBe(true);
    // A template full of backticks stays one code span: nothing of it is left outside.
    const templateLine = md.split('\n').find((l) => l.startsWith('- Template: ') && l.includes('c|d')) as string;
    expect(withoutCodeSpans(templateLine)).toBe('- Template: <CODE>');
  });

  it('renders a 100k-character hostile line quickly and cut in the middle', () => {
    const input = seedLikeInput();
    const huge = 'a`_*['.repeat(20_000);
    (input.timeline[0] as { message: string }).message = huge;
    input.result.findings[0]!.evidence[0]!.text = huge;
    const started = performance.now();
    const md = renderMarkdown(input, null);
    const html = renderHtml(input);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(html.length).toBeLessThan(200_000);
    expect(md.length).toBeLessThan(60_000);
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
});

describe('markdownText', () => {
  it('escapes only where a character would change the rendering', () => {
    expect(markdownText('2026-05-27T04:41:10.000Z, p = 0.004 (PDT)')).toBe('2026-05-27T04:41:10.000Z, p = 0.004 (PDT)');
    expect(markdownText('America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(markdownText('- not a list')).toBe('\\- not a list');
    expect(markdownText('- inside a line', false)).toBe('- inside a line');
    expect(markdownText('1. not a list')).toBe('1\\. not a list');
    expect(markdownText('_emphasis_ and *strong*')).toBe('\\_emphasis\\_ and \\*strong\\*');
    expect(markdownText('see http://evil and www.evil.example or a@b.c')).toBe('see http\\://evil and www\\.evil.example or a\\@b.c');
    expect(markdownText('<b>&</b> a|b `x` [y]')).toBe('&lt;b&gt;&amp;&lt;/b&gt; a\\|b \\`x\\` \\[y\\]');
    expect(markdownText('a\nb')).toBe('a\\\\nb');
  });
});

describe('defaultTitle', () => {
  it('names the hosts and the first outage date in the report zone', () => {
    const input = seedLikeInput();
    // The first outage starts 00:18 UTC on the 27th, which is still the 26th in Los Angeles.
    expect(defaultTitle(input.result, input.sources, 'America/Los_Angeles')).toBe('Postmortem: kai-server outage on 2026-05-26');
    expect(defaultTitle(input.result, input.sources, 'UTC')).toBe('Postmortem: kai-server outage on 2026-05-27');
    expect(defaultTitle({ outages: [], findings: [], stories: [] }, [], 'UTC')).toBe('Postmortem: outage');
  });
});
