/**
 * The correlation engine: outage windows from every source there is, probes judged before they are
 * trusted, and every signal judged against the confirmed windows from timing alone. Pure: events in,
 * result out; the CLI reads the store and prints. Same input, byte-identical output.
 */
import type { EventRow } from '../model/event.js';
import { type EventTable, asTable } from './event-table.js';
import type { CorrelationResult, Finding, Story } from '../model/finding.js';
import type { OutageSpan } from '../model/outage.js';
import type { CorrelateJson } from './types.js';
import { toContractJson } from './contract-json.js';
import { type Campaign, findCampaigns, isAuthFailure } from './bruteforce.js';
import { type DiscoveredTemplate, MAX_TEMPLATE_FINDINGS, discoverTemplates } from './discover.js';
import { type FindingDraft, compareDrafts, draftOf, judgedCore } from './findings.js';
import { ACCOMPANY_US, type JudgeContext, type Judgement, accompanies, holmDivisors, judgeSignal } from './judge.js';
import { type OutageWindow, type WindowEvidence, mergeWindows } from './outages.js';
import { PROBE_ERROR_KIND, type ProbeJudgement, clockWindowCount, type ProbeSnapshotFact, type ProbeWindow, judgeProbe, probeTarget, probeWindows } from './probe.js';
import { probeArtifactFinding, probeClockFinding } from './probe-finding.js';
import { type ProbeClock, estimateProbeClock, pollIntervalOf, realign } from './probe-clock.js';
import { type Coverage, type CoverageSpan, type KindCoverage, coverageKey, coverageOf, kindCoverageOf } from './coverage.js';
import { type SilenceWindow, silenceWindows } from './silence-windows.js';
import { NAMED_KINDS, SIGNAL_DETECTORS, SYMPTOM_KINDS } from './detectors.js';
import { type Series, buildSeries } from './series.js';
import { type Stream, carriesOnThrough, findStreams } from './streams.js';
import { groupStories } from './stories.js';
import { type Interval, overlaps, unionOf } from './stats.js';
import { truncate } from './evidence.js';
import { type ClusterOption, type HostCampaign, type HostMining, type HostSignal, clustersOf, crossHostDrafts } from './cross-host.js';

export interface ReportedWindow {
  startUs: number;
  endUs: number;
  text: string;
}

export interface CorrelateOptions {
  /** Already applied to the events by the caller; they bound the observed span. */
  sinceUs?: number;
  untilUs?: number;
  /** `--window`, repeatable: outages the user saw. */
  reported?: ReportedWindow[];
  /** Facts about probe snapshot files the caller read (help text instead of diagnostics, duplicates). */
  probeSnapshots?: ProbeSnapshotFact[];
  /**
   * The spans each host's sources cover (from the store); a host and source not listed is covered
   * from its first event to its last. Silences are looked for only inside one covered span.
   */
  coverage?: CoverageSpan[];
  /** Which hosts are one cluster, for cross-host correlation (cross-host.ts); default: what the k3s lines say. */
  cluster?: ClusterOption;
}

export type { Story } from '../model/finding.js';

/** What `corr correlate --json` prints: the contract's keys plus `stories`. */
export type CorrelateReport = CorrelateJson;

/** A template shown in a summary is cut to this length (templates are log text: hostile, possibly huge). */
const SUMMARY_TEMPLATE_CHARS = 120;

interface HostData {
  host: string;
  all: number[];
  sshd: number[];
  streams: Stream[];
  silences: SilenceWindow[];
  symptoms: Series;
  accepted: Series;
}

function observedSpan(events: EventTable, opts: CorrelateOptions): Interval {
  let startUs = events.length > 0 ? events.ts(0) : Infinity;
  let endUs = events.length > 0 ? events.ts(events.length - 1) : -Infinity;
  for (const r of opts.reported ?? []) {
    startUs = Math.min(startUs, r.startUs);
    endUs = Math.max(endUs, r.endUs);
  }
  if (opts.sinceUs !== undefined) startUs = opts.sinceUs;
  if (opts.untilUs !== undefined) endUs = opts.untilUs;
  if (!Number.isFinite(startUs) || !Number.isFinite(endUs)) return { startUs: 0, endUs: 0 };
  return { startUs, endUs: Math.max(startUs, endUs) };
}

/** Event indices per host; a probe event belongs to the host it probes. */
function indicesByHost(events: EventTable): { hosts: string[]; byHost: Map<string, number[]>; probes: Map<string, number[]> } {
  const byHost = new Map<string, number[]>();
  const probes = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number): void => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(i);
  };
  for (let i = 0; i < events.length; i++) {
    if (events.source(i) === 'probe') {
      const target = probeTarget({ host: events.host(i), fields: events.fields(i) });
      add(byHost, target, i);
      add(probes, target, i);
    } else add(byHost, events.host(i), i);
  }
  return { hosts: [...byHost.keys()].sort(), byHost, probes };
}

function hostData(events: EventTable, host: string, all: number[], coverage: ReturnType<typeof coverageOf>): HostData {
  const sshd = all.filter((i) => events.source(i) === 'sshd');
  const streams = findStreams(events, host, all, coverage);
  return {
    host,
    all,
    sshd,
    streams,
    silences: silenceWindows(host, streams),
    symptoms: buildSeries(events, all.filter((i) => SYMPTOM_KINDS.has(events.kind(i)))),
    accepted: buildSeries(events, sshd.filter((i) => events.kind(i) === 'sshd.accepted')),
  };
}

/** The host a reported window is about: hosts whose own evidence meets it, else the busiest host. */
function hostsForReported(r: ReportedWindow, evidence: readonly WindowEvidence[], busiest: string): string[] {
  const near = [...new Set(evidence.filter((e) => overlaps(e, r)).map((e) => e.host))].sort();
  return near.length > 0 ? near : [busiest];
}

/** A window as the model holds it, with the onset spread its evidence gives. */
function toOutageSpan(w: OutageWindow): OutageSpan {
  return {
    host: w.host,
    startUs: w.startUs,
    endUs: w.endUs,
    status: w.status,
    sources: [...w.sources],
    onsetEarliestUs: w.onsetEarliestUs,
    onsetLatestUs: w.onsetLatestUs,
  };
}

/** A reported window inside which a network witness kept its pace: the host answered over the network. */
function refutedByWitness(streams: readonly Stream[], r: Interval): boolean {
  return streams.some((s) => s.witness && carriesOnThrough(s, r.startUs, r.endUs));
}

/** A judged signal whose finding is made once the incident-wide correction is known. */
interface Pending {
  judgement: Judgement;
  ctx: JudgeContext;
  series: Series;
  /** Its index in the incident's family of tests, or -1 when it is in none. */
  family: number;
  finish: (judgement: Judgement) => void;
}

function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : k % 10 === 1 ? 'st' : k % 10 === 2 ? 'nd' : k % 10 === 3 ? 'rd' : 'th';
  return `${k}${suffix}`;
}

function campaignFinding(events: EventTable, c: Campaign, judgement: Judgement, windows: JudgeContext['windows'], outageIds: readonly number[]): FindingDraft {
  const core = judgedCore({
    events,
    host: c.host,
    label: `The SSH brute force from ${c.ip} (${c.attempts} attempts, ${c.usernames} user names, ${c.ratePerMin}/min)`,
    series: c.series,
    judgement,
    windows,
    outageIds,
  });
  return draftOf(
    {
      ...core,
      kind: 'ssh-bruteforce',
      sourceIp: c.ip,
      attempts: c.attempts,
      usernames: c.usernames,
      ratePerMin: c.ratePerMin,
      peakPer10min: c.peakPerFindtime,
      acceptedLogins: c.accepted.length,
    },
    c.ip,
  );
}

/**
 * Events a named signal already speaks for, left out of template discovery: probe lines (judged on
 * their own), the named kinds and symptoms, every sshd authentication failure (the brute-force
 * signal's, campaign or not), and every sshd line from an address that failed to authenticate (its
 * connection closes and disconnects are the same scanner).
 */
function coveredByNamedSignals(events: EventTable, sshd: readonly number[]): (i: number) => boolean {
  const failingIps = new Set<string>();
  for (const i of sshd) {
    const ip = events.fields(i).ip;
    if (isAuthFailure(events.kind(i)) && ip !== undefined) failingIps.add(String(ip));
  }
  return (i) => {
    const source = events.source(i);
    const kind = events.kind(i);
    if (source === 'probe' || NAMED_KINDS.has(kind) || SYMPTOM_KINDS.has(kind)) return true;
    if (source !== 'sshd') return false;
    const ip = events.fields(i).ip;
    return isAuthFailure(kind) || (ip !== undefined && failingIps.has(String(ip)));
  };
}

/**
 * When a signal was watched: the covered spans of the sources its events come from (judge.ts places
 * windows only there, and censors episode starts right after a span begins).
 */
function watchedFromOf(events: EventTable, host: string, coverage: Coverage, byKind: KindCoverage): (s: Series) => Interval[] | undefined {
  return (s) => {
    // A source whose spans say which kinds they speak for (syslog) is watched per kind: a service's
    // lines were watched where its journal was captured, not wherever auth.log was.
    const byKey = new Map<string, Interval[] | undefined>();
    // Each source's key (and each kinded source's kinds) looked up once, not a key string per event.
    const bySource = new Map<string, { key: string; kinded: boolean; kinds: Set<string> }>();
    for (let k = 0; k < s.eventIndex.length; k++) {
      const i = s.eventIndex[k]!;
      const source = events.source(i);
      let src = bySource.get(source);
      if (src === undefined) {
        const key = coverageKey(host, source);
        src = { key, kinded: byKind.kinded.has(key), kinds: new Set() };
        bySource.set(source, src);
        if (!src.kinded && !byKey.has(key)) byKey.set(key, coverage.get(key));
      }
      if (!src.kinded) continue;
      const kind = events.kind(i);
      if (src.kinds.has(kind)) continue;
      src.kinds.add(kind);
      const kindKey = `${src.key}\u0000${kind}`;
      if (!byKey.has(kindKey)) byKey.set(kindKey, byKind.spans.get(kindKey));
    }
    const spans = [...byKey.values()];
    // A source with no stated coverage leaves the signal judged over the whole span; so does a signal
    // with a line outside its sources' stated coverage (a section whose coverage is recorded under
    // another source: the statement is incomplete for it).
    if (spans.some((x) => x === undefined)) return undefined;
    const union = unionOf(spans.flatMap((x) => x!));
    // The instants ascend and the union's stretches are sorted and apart: one sweep. A stretch ending
    // before an instant holds no later one either.
    for (let k = 0, j = 0; k < s.ts.length; k++) {
      const t = s.ts[k]!;
      while (j < union.length && union[j]!.endUs < t) j++;
      if (j === union.length || union[j]!.startUs > t) return undefined;
    }
    return union;
  };
}

/** The contract's JSON for `judge`'s result: what `corr correlate --json` prints. */
export function correlate(eventsOrTable: readonly EventRow[] | EventTable, opts: CorrelateOptions): CorrelateReport {
  return toContractJson(judge(eventsOrTable, opts));
}

/**
 * Whether a template only accompanies a signal already reported with its verdict: every episode of
 * the template starts within ACCOMPANY_US (judge.ts) of one of that signal's events. The lines a
 * docker network writes beside its bridge lines (`link becomes ready`), or a session's close beside
 * its timeout, come within the same seconds: the same happening told twice, not a second finding.
 */
export { ACCOMPANY_US };

/** `events` in time order (ties by id): rows in memory, or a table of columns from the store. */
export function judge(eventsOrTable: readonly EventRow[] | EventTable, opts: CorrelateOptions): CorrelationResult {
  const events = asTable(eventsOrTable);
  const span = observedSpan(events, opts);
  const { hosts, byHost, probes } = indicesByHost(events);
  const coverage = coverageOf(events, opts.coverage);
  // Only coverage the store states says when a signal was watched: spans read off the events
  // themselves begin with a signal's own first line and would censor it.
  const stated = coverageOf(asTable([]), opts.coverage);
  const byKind = kindCoverageOf(opts.coverage);
  const data = new Map<string, HostData>(hosts.map((h) => [h, hostData(events, h, byHost.get(h)!, coverage)]));

  // 1. Judge each probe before trusting it: first its clock against the host's silences (a probe
  // minutes off would otherwise look contradicted), then its windows, realigned when the clock is off.
  const judgements: ProbeJudgement[] = [];
  const clocks: { target: string; raw: ProbeWindow[]; clock: ProbeClock }[] = [];
  const polls = new Map<string, number>();
  for (const target of [...probes.keys()].sort()) {
    const d = data.get(target)!;
    const lines = probes.get(target)!.filter((i) => events.kind(i) !== PROBE_ERROR_KIND);
    const lineTimes = lines.map((i) => events.ts(i));
    let windows = probeWindows(events, lines, span.endUs);
    polls.set(target, pollIntervalOf(windows, lineTimes));
    const clock = estimateProbeClock(windows.slice(0, clockWindowCount(windows, { silences: d.silences, symptoms: d.symptoms }, polls.get(target))), lineTimes, d.silences, d.streams.filter((s) => s.witness));
    if (clock) {
      clocks.push({ target, raw: windows, clock });
      // A probe whose windows do not fit any one offset is not used at all: its times say nothing.
      windows = clock.realigned ? realign(windows, clock.offsetUs) : [];
    }
    judgements.push(
      judgeProbe(target, windows, {
        events,
        silences: d.silences,
        streams: d.streams,
        accepted: d.accepted,
        symptoms: d.symptoms,
        snapshots: opts.probeSnapshots ?? [],
        pollUs: polls.get(target) ?? 0,
        spanUs: lineTimes.length > 0 ? { startUs: lineTimes[0]! - (clock?.offsetUs ?? 0), endUs: lineTimes[lineTimes.length - 1]! - (clock?.offsetUs ?? 0) } : undefined,
      }),
    );
  }

  // 2. Outage windows per host from every source of evidence.
  const evidence: WindowEvidence[] = [];
  for (const d of data.values()) {
    for (const w of d.silences) {
      evidence.push({
        host: d.host,
        startUs: w.startUs,
        endUs: w.endUs,
        source: 'stream-silence',
        stream: `silence:${w.members.map((m) => m.stream).join('+')}`,
        trusted: true,
        onsetEarliestUs: w.startUs,
        onsetLatestUs: w.startUs + w.onsetUncertaintyUs,
        endEarliestUs: w.endUs - w.endUncertaintyUs,
        endLatestUs: w.endUs,
      });
    }
  }
  for (const j of judgements) {
    const contradicted = new Set(j.contradictions.map((c) => c.window));
    j.windows.forEach((w, i) => {
      const lying = j.lying[i]!;
      // A window through which a network witness kept its pace (or inside which sshd accepted a
      // login) is not data even from a probe trusted otherwise: the host answered then.
      const refuted = !lying && contradicted.has(i);
      const pollUs = w.intervalUs ?? polls.get(j.target) ?? 0;
      evidence.push({
        host: j.target,
        startUs: w.startUs,
        endUs: w.endUs,
        source: 'probe',
        stream: `probe:${j.target}`,
        trusted: !lying && !refuted,
        refuted,
        onsetEarliestUs: w.startUs - pollUs,
        onsetLatestUs: w.startUs,
        endEarliestUs: w.closeIndex >= 0 ? w.endUs - pollUs : w.endUs,
        endLatestUs: w.endUs,
      });
    });
  }
  const busiest = hosts.reduce<string | null>(
    (best, h) => (best === null || byHost.get(h)!.length > byHost.get(best)!.length ? h : best),
    null,
  );
  const dataEvidence = [...evidence];
  (opts.reported ?? []).forEach((r, i) => {
    for (const host of hostsForReported(r, dataEvidence, busiest ?? 'unknown')) {
      const endUs = Math.max(r.startUs, r.endUs);
      const refuted = refutedByWitness(data.get(host)?.streams ?? [], { startUs: r.startUs, endUs });
      evidence.push({ host, startUs: r.startUs, endUs, source: 'reported', stream: `reported:${i}`, trusted: true, refuted });
    }
  });
  const evidenceHosts = [...new Set(evidence.map((e) => e.host))].sort();
  const windowsByHost = new Map<string, OutageWindow[]>();
  for (const host of evidenceHosts) {
    windowsByHost.set(host, mergeWindows(host, evidence.filter((e) => e.host === host), data.get(host)?.symptoms));
  }

  // Outages in their final order; findings refer to them by index.
  const outageWindows = evidenceHosts.flatMap((h) => windowsByHost.get(h)!);
  const outageIndex = new Map<OutageWindow, number>(outageWindows.map((w, i) => [w, i]));
  const confirmedOf = (host: string): { windows: OutageWindow[]; ids: number[] } => {
    const windows = (windowsByHost.get(host) ?? []).filter((w) => w.status === 'confirmed');
    return { windows, ids: windows.map((w) => outageIndex.get(w)!) };
  };

  // 3. Judge every signal against the host's confirmed windows. Named signals and campaigns are named
  // before any window is known, so each is one test; templates are picked because they line up with
  // the windows, so their chance is corrected for how many were picked (discover.ts).
  const drafts: FindingDraft[] = [];
  // Each host's named signals as judged there, for the cross-host tests after this loop.
  const hostSignals: HostSignal[] = [];
  const hostCampaigns: HostCampaign[] = [];
  const hostMining: HostMining[] = [];
  // Judged signals whose finding waits for the incident-wide correction, and that family's chances.
  const pending: Pending[] = [];
  const familyChances: number[] = [];
  const tested = (judgement: Judgement, ctx: JudgeContext, series: Series, finish: (j: Judgement) => void): { reported: { verdict: string; series: Series } } => {
    const inFamily = judgement.outagesTotal >= 2 && (judgement.minChanceLead ?? 1) < 1;
    pending.push({ judgement, ctx, series, family: inFamily ? familyChances.push(judgement.chanceLead ?? 1) - 1 : -1, finish });
    return { reported: { verdict: judgement.verdict, series } };
  };
  for (const d of data.values()) {
    const { windows: confirmed, ids } = confirmedOf(d.host);
    const named = SIGNAL_DETECTORS.map((detector) => ({
      detector,
      members: d.all.filter((i) => detector.kinds.includes(events.kind(i)) && (detector.accepts?.(events.fields(i)) ?? true)),
    })).filter((x) => x.members.length > 0);
    const { campaigns } = findCampaigns(events, d.host, d.sshd);
    const ctx: JudgeContext = { span, windows: confirmed };
    const watched = watchedFromOf(events, d.host, stated, byKind);
    const covered = coveredByNamedSignals(events, d.sshd);
    const discovery = discoverTemplates(events, d.all, covered, ctx, watched);
    hostMining.push({ host: d.host, all: d.all, covered, watched, found: discovery.found });

    const reported: { verdict: string; series: Series }[] = [];
    for (const { detector, members } of named) {
      const series = buildSeries(events, members);
      const seriesWatched = watched(series);
      const own: JudgeContext = { ...ctx, watched: seriesWatched };
      const signal: HostSignal = { host: d.host, kind: detector.id, label: detector.label, series, verdict: 'inconclusive', watched: seriesWatched };
      const entry = tested(judgeSignal(series, own), own, series, (judgement) => {
        const core = judgedCore({ events, host: d.host, label: `${detector.label} on ${d.host}`, series, judgement, windows: confirmed, outageIds: ids });
        drafts.push(draftOf({ ...core, kind: detector.id }));
        signal.verdict = judgement.verdict;
      });
      reported.push(entry.reported);
      hostSignals.push(signal);
    }
    for (const c of campaigns) {
      const own: JudgeContext = { ...ctx, watched: watched(c.series) };
      const campaign: HostCampaign = { campaign: c, verdict: 'inconclusive', watched: own.watched };
      tested(judgeSignal(c.series, own), own, c.series, (judgement) => {
        const draft = campaignFinding(events, c, judgement, ctx.windows, ids);
        drafts.push(draft);
        campaign.verdict = draft.finding.verdict;
      });
      hostCampaigns.push(campaign);
    }
    const familyBase = familyChances.length;
    familyChances.push(...discovery.family);
    const kept: DiscoveredTemplate[] = [];
    for (const t of discovery.found) {
      if (kept.length === MAX_TEMPLATE_FINDINGS) break;
      if (reported.some((r) => r.verdict === t.judgement.verdict && accompanies(t.series, r.series))) continue;
      kept.push(t);
      reported.push({ verdict: t.judgement.verdict, series: t.series });
    }
    for (const t of kept) {
      const finish = (judgement: Judgement): void => {
        const core = judgedCore({
          events,
          host: d.host,
          label: `The template \`${truncate(t.template, SUMMARY_TEMPLATE_CHARS)}\` (${t.kind})`,
          series: t.series,
          judgement,
          windows: confirmed,
          outageIds: ids,
        });
        drafts.push(draftOf({ ...core, kind: 'template-burst', template: t.template, eventKind: t.kind }, `${t.kind}\u0000${t.template}`));
      };
      pending.push({ judgement: t.judgement, ctx: t.ctx, series: t.series, family: t.group >= 0 ? familyBase + t.group : -1, finish });
    }
  }
  // The incident-wide correction: every signal, campaign and template group judged against two or
  // more watched onsets, that could lead most of them, is one test of one family, held by Holm's
  // step-down (judge.ts holmDivisors). A cause whose chance does not survive it is judged again at
  // the threshold it is held to; the finding's chance rule states the correction and its numbers.
  const divisors = holmDivisors(familyChances);
  for (const p of pending) {
    const h = p.family >= 0 ? divisors[p.family] : undefined;
    if (h === undefined || p.judgement.verdict !== 'cause') {
      p.finish(p.judgement);
      continue;
    }
    const correction = `Holm over ${familyChances.length} signal${familyChances.length === 1 ? '' : 's'} tested in the incident against two or more onsets: this chance the ${ordinal(h.rank)} smallest, held to 0.05/${h.divisor}`;
    p.finish(judgeSignal(p.series, { ...p.ctx, leadTested: h.divisor, correction }));
  }
  // A signal of one host against another host's windows, for hosts of one cluster.
  drafts.push(
    ...crossHostDrafts({ events, span, clusters: clustersOf(events, byHost, opts.cluster ?? { mode: 'auto' }), signals: hostSignals, campaigns: hostCampaigns, mining: hostMining, confirmedOf, byHost }),
  );
  for (const j of judgements) {
    if (j.lieFrom < 0) continue;
    const { windows: confirmed, ids } = confirmedOf(j.target);
    drafts.push(probeArtifactFinding(events, j, confirmed, ids));
  }
  for (const c of clocks) {
    const confirmed = (windowsByHost.get(c.target) ?? []).filter((w) => w.status === 'confirmed');
    drafts.push(probeClockFinding(events, c.target, c.raw, c.clock, confirmed));
  }

  // 4. Stable order, ids, stories.
  drafts.sort(compareDrafts);
  const findings: Finding[] = drafts.map((d, i) => ({ ...d.finding, id: `F${i + 1}` }));
  const outages = outageWindows.map(toOutageSpan);
  const stories: Story[] = groupStories(drafts, findings, outages);
  return { outages, findings, stories };
}
