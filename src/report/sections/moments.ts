import { type Inline, type Section, type Span, code, paragraph, prompt, text } from '../model.js';
import { formatLocal, formatUtc, showsLocal, zoneAbbreviation } from '../time.js';
import type { ReportInput } from '../types.js';
import { type View, findingLabel, realWindows } from '../view.js';
import type { PlannedStory } from './plan.js';
import { plural } from './phrases.js';

/**
 * `## Timeline`: the key moments only — first and last burst of each story, each outage's start and
 * end, the moment a cause stops for good, the moment a probe begins to lie — in UTC and the local
 * zone, with rows left for the operator's actions. The full timeline is a `corr timeline` command
 * with the exact arguments, so the draft stays small enough to post as an issue.
 */

/** Past this many real windows the table lists the first ones and the command shows the rest. */
const MAX_WINDOW_MOMENTS = 24;
/** Rows for the operator to fill: what they did and when (logs do not show it). */
const OPERATOR_ROWS = 3;

interface Moment {
  ms: number;
  what: Span[];
  story: string;
}

export function momentsSection(input: ReportInput, view: View, plan: readonly PlannedStory[]): Section {
  const moments: Moment[] = [];
  const storyOf = (id: string) => plan.find((p) => p.role !== 'stop' && p.members.some((f) => f.id === id));
  for (const p of plan) {
    const tag = `Story ${p.n}`;
    if (p.role === 'stop') {
      moments.push({ ms: p.stop!.lastMs, what: [code(findingLabel(p.stop!.cause)), text(' stops for good (last burst ends)')], story: tag });
      continue;
    }
    for (const f of p.members) {
      if (f.verdict === 'artifact') {
        if (f.startMs !== null) moments.push({ ms: f.startMs, what: [code(findingLabel(f)), text(' begins to lie')], story: tag });
        continue;
      }
      if (f.verdict !== 'cause' && f.verdict !== 'background' && p.role !== 'other') continue;
      const first = f.bursts[0]?.startMs ?? f.startMs;
      const last = f.bursts.length > 0 ? Math.max(...f.bursts.map((b) => b.endMs)) : f.endMs;
      if (first !== null) moments.push({ ms: first, what: [text('First burst of '), code(findingLabel(f))], story: tag });
      if (last !== null && last !== first && !plan.some((q) => q.stop?.cause === f)) moments.push({ ms: last, what: [text('Last burst of '), code(findingLabel(f))], story: tag });
    }
  }
  const real = realWindows(view);
  real.slice(0, MAX_WINDOW_MOMENTS).forEach((w, i) => {
    const cause = plan.find((p) => p.role === 'cause' && p.members.some((f) => f.hits.some((h) => h.window === w.index)));
    const story = cause ? `Story ${cause.n}` : '';
    moments.push({ ms: w.startMs, what: [text(`Outage W${i + 1} begins (${w.status})`)], story });
    moments.push({ ms: w.endMs, what: [text(`Outage W${i + 1} ends`)], story });
  });
  const lying = view.windows.filter((w) => w.status === 'artifact');
  if (lying.length > 0) {
    const last = lying[lying.length - 1]!;
    const artifact = view.findings.find((f) => f.verdict === 'artifact' && f.host === last.host);
    moments.push({ ms: last.endMs, what: [text(`Last of ${plural(lying.length, 'window')} only the lying monitor saw`)], story: artifact ? `Story ${storyOf(artifact.id)?.n ?? ''}` : '' });
  }
  moments.sort((a, b) => a.ms - b.ms);

  const local = showsLocal(input.tz);
  const header = ['UTC', ...(local ? [input.tz] : []), 'Moment', 'Story'];
  const rows: Inline[][] = moments.map((m) => [
    [text(formatUtc(m.ms).replace(/ UTC$/, ''))],
    ...(local ? [[text(formatLocal(m.ms, input.tz))]] : []),
    m.what,
    [text(m.story)],
  ]);
  for (let i = 0; i < OPERATOR_ROWS; i++) {
    rows.push([[prompt('time')], ...(local ? [[text('')]] : []), [prompt('what the operator did (a fix, a rollout, a scale-down)')], [text('')]]);
  }
  const blocks: Section['blocks'] = [{ type: 'table', header, rows }];
  if (real.length > MAX_WINDOW_MOMENTS) {
    blocks.push(paragraph(text(`The first ${MAX_WINDOW_MOMENTS} of ${real.length} real windows are listed; the command below shows every line.`)));
  }
  blocks.push(paragraph(text('Every line, in UTC and the local zone:'), ...fullTimelineCommand(input, view)));
  return { id: 'timeline', heading: [text('Timeline')], blocks, fold: true };
}

/** ` corr --db … timeline --since … --until … --tz …` over the incident, so a reader can re-run it. */
function fullTimelineCommand(input: ReportInput, view: View): Span[] {
  const times = [...view.windows.flatMap((w) => [w.startMs, w.endMs]), ...view.findings.flatMap((f) => (f.startMs !== null && f.endMs !== null ? [f.startMs, f.endMs] : []))];
  if (times.length === 0) return [text(' '), code('corr timeline'), text('.')];
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const since = input.options.since ?? iso(Math.min(...times));
  const until = input.options.until ?? iso(Math.max(...times));
  const args = ['corr', ...(input.options.db !== undefined ? ['--db', shellWord(input.options.db)] : []), 'timeline', '--since', shellWord(since), '--until', shellWord(until), '--tz', shellWord(input.tz)];
  return [text(' '), code(args.join(' ')), text(` (${zoneAbbreviation(Math.min(...times), input.tz)} beside UTC; add `), code('--source'), text(' to narrow it).')];
}

/** A word quoted for a POSIX shell only when it needs it. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

