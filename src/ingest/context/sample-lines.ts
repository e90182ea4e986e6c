/**
 * The lines host attribution step 4 compares (same-lines.ts): for each section of a file whose
 * records would otherwise get no host from evidence, up to SAMPLE_LINES of its records, evenly
 * spread over the section, keyed as the dedup refiner will key them (uptime stamp of a kernel line,
 * else the instant after the section's year and zone). One more read of the file, parsing only the
 * sampled lines: the host must be known before the first row is written, since it is part of the
 * dedup key.
 */
import type { FileSurvey } from '../survey.js';
import { readLines, emptyReadReport } from '../reader.js';
import { SectionRefiners, pendingEvent, type PendingEvent, type SectionContext } from '../refiners.js';
import { captureInstantUs } from '../facts.js';
import { ranAtUs } from './coverage.js';
import { distinctiveStamp, SAMPLE_LINES, type LineSample } from './same-lines.js';

export interface SectionSample {
  /** Distinctive lines: their stamps carry sub-millisecond digits. */
  lines: LineSample[];
  /** Records sampled whose stamps are coarse (no host evidence). */
  generic: number;
}

/** Samples by section ordinal, for the sections in `ordinals` that have a format. */
export async function sampleSections(survey: FileSurvey, ctx: SectionContext, ordinals: ReadonlySet<number>): Promise<Map<number, SectionSample>> {
  const plans = survey.sections.filter((p) => p.format && ordinals.has(p.ordinal));
  const out = new Map<number, SectionSample>();
  if (plans.length === 0) return out;
  const lastLine = Math.max(...plans.map((p) => p.endLine));
  const captureUs = captureInstantUs(survey.facts, ctx.zone);
  const state = plans.map((p) => ({
    plan: p,
    stride: Math.max(1, Math.ceil((p.endLine - p.startLine + 1) / SAMPLE_LINES)),
    refiners: new SectionRefiners({ ...ctx, endsByUs: ranAtUs(p.title, captureUs) }),
    sample: { lines: [], generic: 0 } as SectionSample,
    seen: new Set<string>(),
    waiting: [] as PendingEvent[],
  }));
  type State = (typeof state)[number];
  const keyWaiting = (s: State): void => {
    for (const ev of s.waiting) {
      const e = ev.event;
      const uptime = e.uptimeUs ?? (ev.time.kind === 'uptime' ? ev.time.us : null);
      const tkey = uptime !== null && e.source === 'kernel' ? uptime : ev.tsUs;
      if (tkey === null) continue;
      if (!distinctiveStamp(tkey)) {
        s.sample.generic++;
        continue;
      }
      const key = `${tkey}\0${e.source}\0${e.message}`;
      if (s.seen.has(key) || s.sample.lines.length >= SAMPLE_LINES) continue;
      s.seen.add(key);
      s.sample.lines.push({ tkey, source: e.source, message: e.message });
    }
    s.waiting = [];
  };
  for (const s of state) out.set(s.plan.ordinal, s.sample);
  let k = 0;
  outer: for await (const batch of readLines(survey.path, survey.gzip, emptyReadReport(), survey.size)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const lineNo = batch.firstLine + i;
      if (lineNo > lastLine) break outer;
      while (k < state.length && lineNo > state[k]!.plan.endLine) k++;
      const s = state[k];
      if (!s || lineNo < s.plan.startLine || (lineNo - s.plan.startLine) % s.stride !== 0) continue;
      if (s.sample.lines.length >= SAMPLE_LINES) continue;
      const line = batch.lines[i]!;
      let r;
      try {
        r = s.plan.format!.parse(line, null);
      } catch {
        continue;
      }
      if (r?.type !== 'event' || r.event.host) continue; // a record naming its host needs no attribution
      const ev = pendingEvent(r.event, lineNo, line);
      if (s.refiners.onRecord(ev) !== null) continue;
      // A section that starts inside a repeated autumn hour: its first instants wait for the
      // section's next unambiguous line (refiners.ts), as they do when the section is stored.
      s.waiting.push(ev);
      if (!s.refiners.timeWaiting()) keyWaiting(s);
    }
  }
  for (const s of state) {
    s.refiners.finishTime();
    keyWaiting(s);
  }
  return out;
}
