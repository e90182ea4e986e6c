import type { ReportInput } from '../types.js';
import { type Block, type Inline, type Section, code, paragraph, prompt, strong, text } from '../model.js';
import { formatClock, formatRangeLocal, formatRangeUtc, showsLocal } from '../time.js';
import { type View, type ViewEvidence, type ViewFinding, findingLabel, isCrossHost } from '../view.js';
import { describeChance, plural, prose } from './phrases.js';
import { truncateMiddle } from '../../text/escape.js';
import { findingFacts, hitCell } from './stories.js';

/**
 * `## Across hosts`: signals of one host judged against another host's outage windows, for hosts of
 * one cluster (src/correlate/cross-host.ts). Each finding says whose signal and whose windows, the
 * pairs its chance was corrected for, the windows of the other host it reached, and lines of both
 * hosts. Absent when there is no cross-host finding, so single-host reports are unchanged.
 */

const EVIDENCE_QUOTED = 10;
const MAX_WINDOW_ROWS = 20;
const MAX_QUOTE_CHARS = 200;

export function crossHostSection(input: ReportInput, view: View): Section | null {
  const found = view.findings.filter(isCrossHost);
  if (found.length === 0) return null;
  const blocks: Block[] = [
    paragraph(
      text(`A signal of one host judged against the outage windows of another host of the same cluster, by the same rules and chance as a host's own signals. `),
      text(`${correctionText(found)}; `),
      text('a signal already explained by its own host\'s windows is not tested again across.'),
    ),
  ];
  const clusters = new Map<string, ViewFinding>();
  for (const f of found) if (!clusters.has(f.cluster.join(','))) clusters.set(f.cluster.join(','), f);
  for (const f of clusters.values()) {
    blocks.push(paragraph(strong(`Cluster ${f.cluster.join(', ')}: `), ...prose(f.clusterRule ?? '')));
  }
  for (const f of found) blocks.push(...findingBlocks(input, view, f));
  return { id: 'across-hosts', heading: [text('Across hosts')], blocks };
}

/**
 * The corrections the findings were judged under. Named signals, brute-force campaigns and
 * discovered templates are each corrected over their own pairs (docs/correlation.md § 7), so one
 * figure for all would misstate every kind but the first's.
 */
function correctionText(found: readonly ViewFinding[]): string {
  const groups = new Map<string, { pairs: number; needed: number | null; kinds: string[] }>();
  for (const f of found) {
    const key = `${f.pairsTested ?? 0}|${f.chanceNeeded}`;
    const g = groups.get(key) ?? { pairs: f.pairsTested ?? 0, needed: f.chanceNeeded, kinds: [] };
    const kind = f.signalKind ?? f.kind;
    if (!g.kinds.includes(kind)) g.kinds.push(kind);
    groups.set(key, g);
  }
  const phrase = (g: { pairs: number; needed: number | null }): string =>
    `${plural(g.pairs, 'signal-and-host pair')} ${g.pairs === 1 ? 'was' : 'were'} tested across hosts, so each had to reach a chance of ${g.needed} or less`;
  const all = [...groups.values()];
  if (all.length === 1) return phrase(all[0]!);
  return `each kind is corrected for its own pairs: ${all.map((g) => `${g.kinds.join(', ')}: ${phrase(g)}`).join('; ')}`;
}

function findingBlocks(input: ReportInput, view: View, f: ViewFinding): Block[] {
  const blocks: Block[] = [
    { type: 'subheading', content: [code(findingLabel(f)), text(` — ${f.verdict}: ${f.signalKind} on ${f.host}, outages of ${f.windowsHost}`)] },
    paragraph(...prose(f.summary)),
  ];
  const facts = findingFacts(f, input.tz).filter((item) => !item.content.some((s) => s.text.startsWith('Outage onsets reached')));
  facts.splice(1, 0, {
    content: [
      text(`Outage onsets of ${f.windowsHost} reached: ${f.outagesHit} of ${f.outagesTotal}; chance of that alignment: ${describeChance(f.chance)}, needed ≤ ${f.chanceNeeded} (${plural(f.pairsTested ?? 0, 'pair')} tested)`),
    ],
  });
  blocks.push({ type: 'list', items: facts });
  if (f.verdict === 'cause') {
    blocks.push(paragraph(strong('Mechanism: '), prompt(`how does ${f.signalKind} on ${f.host} take ${f.windowsHost} down (the overlay network, the apiserver its kubelet talks to)? The logs show when, not how.`)));
  }
  blocks.push(...windowRows(input, view, f));
  if (f.evidence.length > 0) {
    blocks.push({ type: 'subheading', content: [text('Evidence from both hosts: '), code(findingLabel(f))] });
    blocks.push({ type: 'code', lines: f.evidence.slice(0, EVIDENCE_QUOTED).map(quote) });
  }
  return blocks;
}

/** The other host's confirmed windows against the signal, from the judge's own hits. */
function windowRows(input: ReportInput, view: View, f: ViewFinding): Block[] {
  const windows = view.windows.filter((w) => w.host === f.windowsHost && w.status === 'confirmed');
  if (windows.length === 0) return [];
  const local = showsLocal(input.tz);
  const header = ['#', `Window of ${f.windowsHost} (UTC)`, ...(local ? [`Window (${input.tz})`] : []), `${f.signalKind} on ${f.host}`];
  const shown = windows.slice(0, MAX_WINDOW_ROWS);
  const rows = shown.map((w, i): Inline[] => [
    [text(`W${i + 1}`)],
    [text(formatRangeUtc(w.startMs, w.endMs).replace(/ UTC$/, ''))],
    ...(local ? [[text(formatRangeLocal(w.startMs, w.endMs, input.tz))]] : []),
    [text(hitCell(f, w.index))],
  ]);
  const blocks: Block[] = [{ type: 'table', header, rows }];
  if (windows.length > shown.length) blocks.push(paragraph(text(`… and ${plural(windows.length - shown.length, 'more window')}.`)));
  return blocks;
}

/** `14:38:25Z  cp  cp/syslog:812  <text>`: whose line it is comes first. */
function quote(e: ViewEvidence): string {
  return `${formatClock(e.ms, 'utc')}Z  ${e.host ?? '?'}  ${e.file}:${e.line}  ${truncateMiddle(e.text, MAX_QUOTE_CHARS)}`;
}
