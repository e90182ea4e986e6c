import type { ReportInput } from '../types.js';
import { type Block, type Inline, type ListItem, type Section, code, paragraph, prompt, strong, text } from '../model.js';
import { formatBoth, formatClockBoth, formatDuration, formatRangeBoth, formatRangeLocal, formatRangeUtc, showsLocal } from '../time.js';
import { type View, type ViewFinding, findingLabel, realWindows } from '../view.js';
import type { PlannedStory } from './plan.js';
import { describeChance, plural, prose, quoteEvidence } from './phrases.js';
import { delayAfterWatch, isPublicAddress } from './questions.js';

/**
 * One section per independent story, in the seed postmortem's shape: what the data shows (the
 * judge's own figures, one duration style), the mechanism left as a question, and the lines that
 * show it with file:line.
 */

const EVIDENCE_QUOTED = 6;
const SYMPTOM_EVIDENCE_QUOTED = 2;
const BACKGROUND_EVIDENCE_QUOTED = 3;
/** A window table longer than this lists the first ones and says how many more there are. */
const MAX_WINDOW_ROWS = 30;

export function storySections(input: ReportInput, view: View, plan: readonly PlannedStory[]): Section[] {
  return plan.map((p) => {
    const blocks =
      p.role === 'cause' ? causeBlocks(input, view, p)
      : p.role === 'stop' ? stopBlocks(input, p)
      : p.role === 'background' ? backgroundBlocks(input, p)
      : p.role === 'artifact' ? artifactBlocks(input, view, p)
      : otherBlocks(input, p);
    return { id: `story-${p.n}`, heading: [text(`Story ${p.n} — ${p.title}`)], blocks };
  });
}

/** Bullet facts every finding shows alike, in a fixed order. */
export function findingFacts(f: ViewFinding, tz: string): ListItem[] {
  const items: ListItem[] = [
    { content: [text('Verdict: '), code(f.verdict), text(f.reason === null ? '' : `, because ${f.reason}`)] },
  ];
  if (f.startMs !== null && f.endMs !== null) items.push({ content: [text(`Seen ${formatRangeBoth(f.startMs, f.endMs, tz)}`)] });
  if (f.verdict !== 'artifact') {
    items.push({ content: [text(`Outage onsets reached: ${f.outagesHit} of ${f.outagesTotal}; chance of that alignment: ${describeChance(f.chance)}`)] });
  }
  if (f.bursts.length > 0) items.push({ content: [text(`Bursts: ${f.bursts.length}, ${f.bursts.reduce((n, b) => n + b.count, 0)} events in all`)] });
  if (f.leadS !== null && f.verdict !== 'artifact' && f.outagesHit > 0) {
    // The judge's median over the windows it reached: a symptom lags, it never "leads".
    const median = Math.round(f.leadS);
    items.push({ content: [text(median === 0 ? 'Typically at the onset' : median > 0 ? `Typically leads the onset by ${formatDuration(median)}` : `Typically follows the onset by ${formatDuration(-median)}`)] });
  }
  if (f.template !== null) items.push({ content: [text('Template: '), code(f.template)] });
  return items;
}

function evidence(f: ViewFinding, limit: number): Block[] {
  if (f.evidence.length === 0) return [];
  const shown = f.evidence.slice(0, limit);
  const more = f.evidence.length - shown.length;
  return [
    { type: 'subheading', content: [text('Evidence: '), code(findingLabel(f))] },
    { type: 'code', lines: shown.map(quoteEvidence) },
    ...(more > 0 ? [paragraph(text(`… and ${plural(more, 'more line')} in `), code('corr correlate --json'), text('.'))] : []),
  ];
}

function causeBlocks(input: ReportInput, view: View, p: PlannedStory): Block[] {
  const cause = p.members.find((f) => f.verdict === 'cause') as ViewFinding;
  const symptoms = p.members.filter((f) => f !== cause);
  const blocks: Block[] = [
    paragraph(...prose(cause.summary)),
    paragraph(strong('Mechanism: '), prompt(`how does ${cause.kind} take the host down? The logs show when it happens, not how.`)),
    { type: 'list', items: findingFacts(cause, input.tz) },
  ];
  if (symptoms.length > 0) {
    blocks.push(paragraph(text('The rest of this story (findings the judge tied to the same windows):')));
    blocks.push({
      type: 'list',
      items: symptoms.map((s) => ({ content: [code(findingLabel(s)), text(` (${s.verdict}): `), ...prose(s.summary)] })),
    });
  }
  blocks.push({ type: 'subheading', content: [text('Outage windows against '), code(findingLabel(cause))] });
  blocks.push(...windowTable(input, view, [cause, ...symptoms]));
  blocks.push(...evidence(cause, EVIDENCE_QUOTED));
  for (const s of symptoms) blocks.push(...evidence(s, SYMPTOM_EVIDENCE_QUOTED));
  return blocks;
}

/** The judge's per-window hits: a row per real window, a column per finding of the story. */
export function windowTable(input: ReportInput, view: View, signals: readonly ViewFinding[]): Block[] {
  const windows = realWindows(view);
  if (windows.length === 0) return [paragraph(text('No confirmed or unconfirmed outage window to align with.'))];
  const local = showsLocal(input.tz);
  const header = ['#', 'Window (UTC)', ...(local ? [`Window (${input.tz})`] : []), 'Status', ...signals.map(findingLabel)];
  const shown = windows.slice(0, MAX_WINDOW_ROWS);
  const rows = shown.map((w, i): Inline[] => [
    [text(`W${i + 1}`)],
    [text(formatRangeUtc(w.startMs, w.endMs).replace(/ UTC$/, ''))],
    ...(local ? [[text(formatRangeLocal(w.startMs, w.endMs, input.tz))]] : []),
    [text(w.status)],
    ...signals.map((f): Inline => [text(hitCell(f, w.index))]),
  ]);
  const blocks: Block[] = [{ type: 'table', header, rows }];
  if (windows.length > shown.length) blocks.push(paragraph(text(`… and ${plural(windows.length - shown.length, 'more window')}.`)));
  blocks.push(
    paragraph(
      text('Each cell is the judge\'s own count: the signal\'s first event in the window\'s zone (from 5 min before the onset to the end of the window), and how far it led or followed the onset; '),
      text('— means the judge found none there. Only confirmed windows are judged.'),
    ),
  );
  return blocks;
}

/** `leads by 1 min 38 s`, `follows by 34 s`, `at the onset`, or `—` when the judge found no hit. */
export function hitCell(f: ViewFinding, windowIndex: number): string {
  const hit = f.hits.find((h) => h.window === windowIndex);
  if (hit === undefined) return '—';
  if (Math.round(hit.leadS) === 0) return 'at the onset';
  return hit.leadS > 0 ? `leads by ${formatDuration(hit.leadS)}` : `follows by ${formatDuration(-hit.leadS)}`;
}

function stopBlocks(input: ReportInput, p: PlannedStory): Block[] {
  const stop = p.stop!;
  const label = findingLabel(stop.cause);
  const quiet = (stop.observedUntilMs - stop.lastMs) / 1000;
  const blocks: Block[] = [
    paragraph(
      code(label),
      text(
        ` ended for good at ${formatBoth(stop.lastMs, input.tz)}: the host was observed for ${formatDuration(quiet)} more, to ${formatClockBoth(stop.observedUntilMs, input.tz)}, ` +
          `without another burst. At its earlier rate (${stop.ratePerHour.toFixed(1)} bursts an hour) a quiet that long comes by chance with p = ${stop.chance.toFixed(3)}.`,
      ),
    ),
    paragraph(strong('What changed then? '), prompt(`what ended ${stop.cause.kind} at about ${formatClockBoth(stop.lastMs, input.tz)} — a fix taking effect, a scale-down, a config change? No log line says.`)),
  ];
  const delay = delayAfterWatch(stop);
  if (delay !== null) {
    blocks.push(
      paragraph(
        strong('A delayed effect? '),
        text(`Monitoring of ${stop.cause.host} began at ${formatClockBoth(stop.watchedFromMs!, input.tz)} and ${stop.cause.kind} went on for ${formatDuration(delay)} after that. If a fix was applied in that time, its effect came that much later: `),
        prompt('when was the fix applied, by how long was its effect delayed, and what held it back?'),
      ),
    );
  }
  return blocks;
}

function backgroundBlocks(input: ReportInput, p: PlannedStory): Block[] {
  const blocks: Block[] = [];
  for (const f of p.members) {
    blocks.push(paragraph(strong('Not load-bearing. '), ...prose(f.summary)));
    const items = findingFacts(f, input.tz);
    if (f.sourceIp !== null) items.push({ content: [text('Source address: '), code(f.sourceIp)] });
    if (f.attempts !== null) items.push({ content: [text(`Attempts: ${f.attempts}`)] });
    if (f.usernames !== null) items.push({ content: [text(`Distinct user names: ${f.usernames}`)] });
    if (f.ratePerMin !== null) items.push({ content: [text(`Rate: ${f.ratePerMin.toFixed(1)} a minute`)] });
    blocks.push({ type: 'list', items });
    blocks.push(...exposure(f));
    blocks.push(...evidence(f, BACKGROUND_EVIDENCE_QUOTED));
  }
  return blocks;
}

/** A brute force from a public address means sshd answered the internet: say so and ask how. */
export function exposure(f: ViewFinding): Block[] {
  if (f.kind !== 'ssh-bruteforce' || f.sourceIp === null || !isPublicAddress(f.sourceIp)) return [];
  return [
    paragraph(
      strong('Exposure: '),
      code(f.sourceIp),
      text(` is a public address, so sshd on ${f.host} was reachable from the internet. `),
      prompt('what made port 22 public (a port forward, a DMZ, a firewall rule), and was it meant to be?'),
    ),
  ];
}

function artifactBlocks(input: ReportInput, view: View, p: PlannedStory): Block[] {
  const blocks: Block[] = [];
  for (const f of p.members) {
    const from = f.startMs;
    blocks.push(paragraph(strong(from === null ? 'Not believable while it lied. ' : `Believable until ${formatBoth(from, input.tz)}. `), ...prose(f.summary)));
    const items = findingFacts(f, input.tz);
    if (f.periodS !== null) items.push({ content: [text(`Fake cycle: every ${formatDuration(f.periodS)}`)] });
    if (f.reasons.length > 0) items.push({ content: [text('Why it is not believed:')], children: f.reasons.map((r) => prose(r)) });
    blocks.push({ type: 'list', items });
    const lying = view.windows.filter((w) => w.status === 'artifact' && w.host === f.host);
    if (lying.length > 0) {
      blocks.push(paragraph(text(`Its ${plural(lying.length, 'down window')} from then on, none of them real (UTC): ${lying.map((w) => formatRangeUtc(w.startMs, w.endMs).replace(/ UTC$/, '').slice(11)).join(', ')}.`)));
    }
    blocks.push(paragraph(strong('Mechanism: '), prompt(`why did the probe of ${f.host} start reporting false state then (an upgrade of a tool it calls, a changed credential)?`)));
    blocks.push(...evidence(f, EVIDENCE_QUOTED));
  }
  return blocks;
}

function otherBlocks(input: ReportInput, p: PlannedStory): Block[] {
  return p.members.flatMap((f): Block[] => [
    paragraph(...prose(f.summary)),
    { type: 'list', items: findingFacts(f, input.tz) },
    ...evidence(f, SYMPTOM_EVIDENCE_QUOTED),
  ]);
}
