import type { Finding } from '../correlate/types.js';
import type { TimelineRow } from '../timeline/types.js';
import { evidenceBlocks, findingFacts, spanOf } from './details.js';
import { extraString, findingsWithVerdict } from './findings.js';
import { type Block, type Section, code, paragraph, strong, text } from './model.js';
import { formatBoth, formatRangeBoth, isoToMs, usToMs } from './time.js';
import type { ReportInput } from './types.js';
import { maxOf, minOf } from './numbers.js';

/**
 * `## Probe trust`: for each monitor (probe target), from when to when its verdicts can be believed.
 * A monitor the correlator judged an artifact is believable up to the artifact's start and not after;
 * a monitor with no artifact finding is believed throughout, which is stated rather than implied.
 */

interface Monitor {
  name: string;
  rows: TimelineRow[];
  artifacts: Finding[];
}

/** The probe's target, or its host when the probe line names none. */
function monitorOfRow(row: TimelineRow): string {
  const target = row.fields['target'];
  return typeof target === 'string' && target !== '' ? target : row.host;
}

function monitorOfFinding(f: Finding): string {
  return extraString(f, 'target') ?? f.host;
}

export function monitors(input: ReportInput): Monitor[] {
  const byName = new Map<string, Monitor>();
  const get = (name: string) => {
    let m = byName.get(name);
    if (!m) byName.set(name, (m = { name, rows: [], artifacts: [] }));
    return m;
  };
  for (const row of input.timeline) if (row.source === 'probe') get(monitorOfRow(row)).rows.push(row);
  for (const f of findingsWithVerdict(input, 'artifact')) get(monitorOfFinding(f)).artifacts.push(f);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function probeTrustSection(input: ReportInput): Section {
  const heading = [text('Probe trust')];
  const all = monitors(input);
  if (all.length === 0) {
    return { id: 'probe-trust', heading, blocks: [paragraph(text('No probe log was ingested and no monitor was judged; nothing here depends on a probe.'))] };
  }
  const blocks = all.flatMap((m) => monitorBlocks(m, input.tz));
  const artifactWindows = input.result.outages.filter((o) => o.status === 'artifact');
  if (artifactWindows.length > 0) {
    blocks.push(paragraph(text(`Outage windows that are only a monitor's word and judged artifacts (${artifactWindows.length}):`)));
    blocks.push({
      type: 'list',
      items: artifactWindows.map((o) => {
        const s = isoToMs(o.start);
        const e = isoToMs(o.end);
        return { content: [text(s === null || e === null ? `${o.start} to ${o.end}` : formatRangeBoth(s, e, input.tz))] };
      }),
    });
  }
  return { id: 'probe-trust', heading, blocks };
}

function monitorBlocks(m: Monitor, tz: string): Block[] {
  const firstMs = m.rows.length > 0 ? minOf(m.rows.map((r) => usToMs(r.firstUs))) : null;
  const lastMs = m.rows.length > 0 ? maxOf(m.rows.map((r) => usToMs(r.lastUs))) : null;
  const seen = firstMs !== null && lastMs !== null ? `It reported from ${formatRangeBoth(firstMs, lastMs, tz)}. ` : '';
  const head: Block = { type: 'subheading', content: [text('Monitor '), code(m.name)] };
  if (m.artifacts.length === 0) {
    return [head, paragraph(strong('Believable throughout. '), text(seen + 'The correlator found no sign that it reported false state.'))];
  }
  const earliest = m.artifacts
    .map((f) => isoToMs(f.start))
    .filter((x): x is number => x !== null)
    .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const until = Number.isFinite(earliest) ? `Believable until ${formatBoth(earliest, tz)}. ` : 'Not believable while it lied. ';
  const blocks: Block[] = [head, paragraph(strong(until), text(seen))];
  for (const f of m.artifacts) {
    blocks.push(paragraph(text(`Not believable ${spanOf(f, tz)}: `), text(f.summary)));
    blocks.push({ type: 'list', items: findingFacts(f, tz) });
    blocks.push(...evidenceBlocks(f, 'What it logged'));
  }
  return blocks;
}
