/**
 * Scores corr's answer on one incident against its truth, and sums the scores over a set. The answer
 * is `corr correlate --json` as the contract gives it; only its outages and findings are read.
 */
import type { IncidentTruth } from './truth.js';

export interface AnswerOutage {
  host: string;
  start: string;
  end: string;
  status: string;
  sources?: string[];
}

export interface AnswerFinding {
  host?: string;
  kind: string;
  verdict: string;
  template?: string;
  offset_s?: number;
  evidence?: Array<{ file: string; line: number }>;
}

export interface Answer {
  outages: AnswerOutage[];
  findings: AnswerFinding[];
}

/** How close a found outage's start must be to the true one. */
export const START_TOLERANCE_S = 90;
/** How close a probe's estimated clock offset must be to the true one. */
export const OFFSET_TOLERANCE_S = 30;

export interface IncidentScore {
  seed: number;
  outages: number;
  found: number;
  confirmed: number;
  invented: number;
  /** Incidents with a cause the data cannot show (truth.cause.observable false): in neither cause figure. */
  hasCause: boolean;
  causeUnobservable: boolean;
  causeRight: boolean;
  causeInvented: boolean;
  probes: number;
  probesRight: number;
  skewed: number;
  offsetsRight: number;
  /** One line per thing that went wrong, each enough to look at alone. */
  failures: string[];
}

const ms = (iso: string): number => Date.parse(iso);

/** A finding is about the true cause when most of its evidence lines are lines the cause wrote. */
function isTrueCause(f: AnswerFinding, causeLines: Set<string>, hosts: string[]): boolean {
  const ev = f.evidence ?? [];
  if (ev.length === 0 || (f.host !== undefined && !hosts.includes(f.host))) return false;
  const hits = ev.filter((e) => causeLines.has(`${e.file}:${e.line}`)).length;
  return hits * 2 >= ev.length;
}

/** What the truth has where corr saw an outage that was not there: the usual ways of being fooled. */
export function whatWasThere(truth: IncidentTruth, o: AnswerOutage): string[] {
  const a = ms(o.start);
  const b = ms(o.end);
  const overlaps = (s: { start: string; end: string }): boolean => ms(s.start) < b && ms(s.end) > a;
  const out: string[] = [];
  for (const g of truth.coverage_gaps) if (g.host === o.host && overlaps(g)) out.push(`a gap in ${g.stream} coverage between captures`);
  for (const w of truth.reported) if (!w.real && overlaps(w)) out.push(`a wrong reported window${w.decoy ? ' with one coincidental symptom' : ''}`);
  for (const p of truth.probes) if (p.host === o.host && p.fake_windows.some(overlaps)) out.push(`a fake window of the ${p.lie?.kind} probe`);
  const scanners = truth.streams.filter((s) => s.host === o.host && !s.through_outages);
  for (const s of scanners) {
    const end = ms(s.span.end);
    if (end < ms(truth.span.end) - 60_000 && end <= b + 60_000 && end >= a - 3_600_000) out.push(`scanner ${s.name} stopped for good at ${s.span.end}`);
    const start = ms(s.span.start);
    if (start > ms(truth.span.start) + 60_000 && start >= a - 60_000 && start <= b + 3_600_000) out.push(`scanner ${s.name} started at ${s.span.start}`);
  }
  const probe = truth.probes.find((p) => p.host === o.host && p.lie?.kind === 'clock-offset');
  if (probe) {
    const shift = probe.lie!.offset_s! * 1000;
    if (truth.outages.some((t) => t.host === o.host && ms(t.start) + shift < b && ms(t.end) + shift > a)) out.push(`a real outage seen ${probe.lie!.offset_s} s off by the skewed probe`);
  }
  return out;
}

const describe = (f: AnswerFinding): string => `${f.kind}${f.template ? ` \`${f.template.slice(0, 80)}\`` : ''} on ${f.host ?? '?'}`;

export function scoreIncident(truth: IncidentTruth, answer: Answer): IncidentScore {
  const failures: string[] = [];
  const tol = START_TOLERANCE_S * 1000;
  const confirmed = answer.outages.filter((o) => o.status === 'confirmed');

  let found = 0;
  for (const t of truth.outages) {
    const hit = confirmed.some((o) => o.host === t.host && Math.abs(ms(o.start) - ms(t.start)) <= tol);
    if (hit) found++;
    else {
      const near = confirmed.filter((o) => o.host === t.host && ms(o.start) < ms(t.end) + tol && ms(o.end) > ms(t.start) - tol);
      const why = near.length > 0 ? `found with start ${Math.round((ms(near[0]!.start) - ms(t.start)) / 1000)} s off` : 'not found';
      failures.push(`outage missed: ${t.host} ${t.start}..${t.end} (${Math.round((ms(t.end) - ms(t.start)) / 1000)} s, shown by ${t.evidence.join(', ')}): ${why}`);
    }
  }

  let invented = 0;
  for (const o of confirmed) {
    const real = truth.outages.some((t) => t.host === o.host && ms(o.start) < ms(t.end) + tol && ms(o.end) > ms(t.start) - tol);
    if (!real) {
      invented++;
      const what = whatWasThere(truth, o);
      failures.push(`outage invented: ${o.host} ${o.start}..${o.end} from ${(o.sources ?? []).join(', ')}${what.length ? ` — ${what.join('; ')}` : ''}`);
    }
  }

  const causes = answer.findings.filter((f) => f.verdict === 'cause');
  let causeRight = false;
  let causeInvented = false;
  if (truth.cause && !truth.cause.observable) {
    // No capture holds a line of a burst before an onset: nothing to be right or wrong about.
  } else if (truth.cause) {
    const lines = new Set(truth.cause.lines);
    causeRight = causes.some((f) => isTrueCause(f, lines, truth.cause!.hosts));
    if (!causeRight) {
      const seen = answer.findings.filter((f) => isTrueCause(f, lines, truth.cause!.hosts)).map((f) => `${describe(f)} judged ${f.verdict}`);
      failures.push(`cause missed: ${truth.cause.kind} \`${truth.cause.template}\` (lead ${truth.cause.lead_s} s)${seen.length ? `; ${seen.join('; ')}` : '; no finding for it'}`);
    }
    for (const f of causes.filter((c) => !isTrueCause(c, lines, truth.cause!.hosts))) failures.push(`wrong cause named too: ${describe(f)}`);
  } else if (causes.length > 0) {
    causeInvented = true;
    for (const f of causes) failures.push(`cause invented: ${describe(f)}`);
  }

  let probesRight = 0;
  let skewed = 0;
  let offsetsRight = 0;
  for (const p of truth.probes) {
    const artifact = answer.findings.some((f) => f.kind === 'probe-artifact' && f.host === p.host);
    const clock = answer.findings.find((f) => f.kind === 'probe-clock' && f.host === p.host);
    const lies = p.lie !== null && p.lie.kind !== 'clock-offset';
    const skew = p.lie?.kind === 'clock-offset';
    const right = lies ? artifact : skew ? clock !== undefined && !artifact : !artifact && clock === undefined;
    if (right) probesRight++;
    else {
      const said = [artifact ? 'probe-artifact' : '', clock ? `probe-clock ${clock.offset_s} s` : ''].filter(Boolean).join(' and ') || 'nothing';
      failures.push(`probe misjudged: ${p.host} (${p.shape}, ${p.lie ? `${p.lie.kind}${p.lie.offset_s !== undefined ? ` ${p.lie.offset_s} s` : ''} from ${p.lie.from}` : 'truthful'}): corr said ${said}`);
    }
    if (skew) {
      skewed++;
      if (clock?.offset_s !== undefined && Math.abs(clock.offset_s - p.lie!.offset_s!) <= OFFSET_TOLERANCE_S) offsetsRight++;
      else if (clock) failures.push(`probe offset off: ${p.host} true ${p.lie!.offset_s} s, corr ${clock.offset_s} s`);
    }
  }

  return {
    seed: truth.seed,
    outages: truth.outages.length,
    found,
    confirmed: confirmed.length,
    invented,
    hasCause: truth.cause !== null && truth.cause.observable,
    causeUnobservable: truth.cause !== null && !truth.cause.observable,
    causeRight,
    causeInvented,
    probes: truth.probes.length,
    probesRight,
    skewed,
    offsetsRight,
    failures,
  };
}

export interface Figure {
  name: FigureName;
  label: string;
  value: number | null;
  num: number;
  den: number;
  /** The issue's target, and whether higher is better. */
  target: number;
  higherIsBetter: boolean;
}

export type FigureName = 'outage_recall' | 'invented_windows' | 'cause_right' | 'cause_invented' | 'probes_right' | 'offsets_right';

/** The issue's done-when targets (#14). */
export const TARGETS: Record<FigureName, { label: string; target: number; higherIsBetter: boolean }> = {
  outage_recall: { label: `outages found (start within ${START_TOLERANCE_S} s)`, target: 0.95, higherIsBetter: true },
  invented_windows: { label: 'confirmed windows invented', target: 0.02, higherIsBetter: false },
  cause_right: { label: 'cause right (incidents with one)', target: 0.95, higherIsBetter: true },
  cause_invented: { label: 'cause invented (incidents with none)', target: 0.02, higherIsBetter: false },
  probes_right: { label: 'probes judged right', target: 0.95, higherIsBetter: true },
  offsets_right: { label: `probe clock offsets within ${OFFSET_TOLERANCE_S} s`, target: 0.9, higherIsBetter: true },
};

/** The figures over a set of incident scores. A figure with nothing to count is null. */
export function figures(scores: IncidentScore[]): Record<FigureName, Figure> {
  const sum = (f: (s: IncidentScore) => number): number => scores.reduce((a, s) => a + f(s), 0);
  const make = (name: FigureName, num: number, den: number): Figure => ({ name, ...TARGETS[name], num, den, value: den === 0 ? null : num / den });
  return {
    outage_recall: make('outage_recall', sum((s) => s.found), sum((s) => s.outages)),
    invented_windows: make('invented_windows', sum((s) => s.invented), sum((s) => s.confirmed)),
    cause_right: make('cause_right', sum((s) => (s.hasCause && s.causeRight ? 1 : 0)), sum((s) => (s.hasCause ? 1 : 0))),
    cause_invented: make('cause_invented', sum((s) => (s.causeInvented ? 1 : 0)), sum((s) => (s.hasCause || s.causeUnobservable ? 0 : 1))),
    probes_right: make('probes_right', sum((s) => s.probesRight), sum((s) => s.probes)),
    offsets_right: make('offsets_right', sum((s) => s.offsetsRight), sum((s) => s.skewed)),
  };
}

export function meetsTarget(f: Figure): boolean {
  if (f.value === null) return true;
  return f.higherIsBetter ? f.value >= f.target : f.value <= f.target;
}

/** What a perfect correlator would answer: the truth in the contract's shape (for testing the scorer). */
export function perfectAnswer(truth: IncidentTruth): Answer {
  const outages: AnswerOutage[] = truth.outages.map((o) => ({ host: o.host, start: o.start, end: o.end, status: 'confirmed', sources: ['truth'] }));
  for (const p of truth.probes) for (const w of p.fake_windows) outages.push({ host: p.host, ...w, status: 'artifact', sources: ['probe'] });
  const findings: AnswerFinding[] = [];
  if (truth.cause) {
    for (const host of truth.cause.hosts) {
      const evidence = truth.cause.lines.filter((l) => l.startsWith(`${truth.bundle}/${host}/`)).slice(0, 10).map(ref);
      findings.push({ host, kind: truth.cause.kind === 'bridge-churn' ? 'bridge-churn' : 'template-burst', verdict: 'cause', template: truth.cause.template, evidence });
    }
  }
  for (const p of truth.probes) {
    if (p.lie && p.lie.kind !== 'clock-offset') findings.push({ host: p.host, kind: 'probe-artifact', verdict: 'artifact' });
    if (p.lie?.kind === 'clock-offset') findings.push({ host: p.host, kind: 'probe-clock', verdict: 'artifact', offset_s: p.lie.offset_s! });
  }
  return { outages, findings };
}

function ref(l: string): { file: string; line: number } {
  const i = l.lastIndexOf(':');
  return { file: l.slice(0, i), line: Number(l.slice(i + 1)) };
}
