/**
 * Cross-host correlation: a signal on one host of a cluster judged against the confirmed outage
 * windows of another host of the same cluster (a control plane's bridge churn or apiserver trouble
 * leading a worker's outages). Same judge, same statistics as a per-host signal (judge.ts); what is
 * new is which pairs are tested and the correction for testing them all.
 *
 * Which hosts are one cluster (docs/correlation.md, "Across hosts"):
 *  - `--cluster a,b,c` (repeatable): the hosts named, one cluster per option;
 *  - otherwise the store says: two hosts are in one cluster when the k3s lines of one name the other
 *    (a node name in a klog line, an agent's server address); clusters are the connected groups. A
 *    store of unrelated machines (a fleet of single-node hosts) therefore tests no pair;
 *  - `--cluster none`: no cross-host test.
 *
 * What is tested, in three families, each with its own correction (as on one host, where a named
 * signal, a brute force and the templates are held to their own thresholds):
 *  - each named signal (detectors.ts, role `signal`) of each host against each other host of its
 *    cluster that has confirmed windows: one pair, one test;
 *  - each brute-force campaign (bruteforce.ts) of each host against each other host's windows: one
 *    pair, one test (a campaign is named by its attempts, before any window is looked at);
 *  - the templates of each host mined against each other host's windows (discover.ts, with that
 *    host's windows in place of its own): templates are picked because they line up with the
 *    windows, so every candidate picked for every pair is one test.
 * A signal judged `cause` or `symptom` on its own host (a template found there with that verdict)
 * is not tested across: its own host's windows already explain its timing, and windows on another
 * host that coincide with them would only repeat that finding. A template that only accompanies a
 * named signal or brute force found across for the same pair, with the same verdict, is folded
 * into it, as on one host (engine.ts `accompanies`).
 *
 * The correction: a named signal's or a campaign's pair must reach CHANCE_THRESHOLD / K, where K
 * counts its family's pairs that could reach it at all (Tarone, judge.ts `testedCount`), over the
 * whole store; a template CHANCE_THRESHOLD / (every candidate of every pair) (Bonferroni: the
 * miner does not return the smallest chance of the candidates it drops). Instants are UTC already
 * (the ingest aligned every host's clock and zone), so hosts in different zones need nothing here.
 */
import type { EventTable } from './event-table.js';
import type { CrossHostFinding, EvidenceLine, SignalKind, Verdict } from '../model/finding.js';
import { type FindingDraft, draftOf, judgedCore } from './findings.js';
import { type Judgement, type WindowLike, accompanies, judgeSignal, testedCount } from './judge.js';
import type { Series } from './series.js';
import type { Interval } from './stats.js';
import { MAX_EVIDENCE, deferredEvidenceLine, truncate, withHost } from './evidence.js';
import type { Campaign } from './bruteforce.js';
import { type DiscoveredTemplate, MAX_TEMPLATE_FINDINGS, discoverTemplates } from './discover.js';

/** `--cluster`: groups of host names, `none`, or (default) what the store's k3s lines say. */
export type ClusterOption = { mode: 'auto' } | { mode: 'none' } | { mode: 'hosts'; groups: string[][] };

export interface HostCluster {
  /** Host names as the correlator knows them, sorted. */
  hosts: string[];
  /** Why these hosts are one cluster, in a sentence. */
  rule: string;
}

/** Messages are read this many at a time while looking for host names. */
const MESSAGE_BATCH = 20_000;
/** Mentions quoted in a cluster's rule; the rest are counted. */
const MAX_QUOTED_MENTIONS = 4;
/** Of a cross-host finding's evidence, at most this many are the signal's lines; the rest are the windows'. */
const MAX_SIGNAL_EVIDENCE = 6;
/**
 * Names that appear in k3s lines without naming a machine of the store: a host called `localhost` is
 * every host's own loopback in an apiserver URL.
 */
const NOT_A_PEER = new Set(['localhost', 'localhost.localdomain']);

function lower(s: string): string {
  return s.trim().replace(/\.$/, '').toLowerCase();
}

function isAddress(name: string): boolean {
  return /^[0-9.]+$/.test(name) || (name.includes(':') && /^[0-9a-f:.]+$/i.test(name));
}

/** A host of the store for a name someone typed: the same name, else the host whose first label it is. */
export function matchHost(name: string, hosts: readonly string[]): string | null {
  const want = lower(name);
  const exact = hosts.find((h) => lower(h) === want);
  if (exact !== undefined) return exact;
  const byLabel = hosts.filter((h) => !isAddress(lower(h)) && lower(h).split('.')[0] === want);
  return byLabel.length === 1 ? byLabel[0]! : null;
}

/** The names in `groups` that match no host (for the CLI's usage error). */
export function unknownClusterHosts(groups: readonly string[][], hosts: readonly string[]): string[] {
  return groups.flat().filter((n) => matchHost(n, hosts) === null);
}

/**
 * The clusters for the hosts the correlator sees (`byHost`: event positions per host, in time order).
 * Explicit groups are taken as given (unknown names were refused by the CLI); the default reads the
 * k3s lines of each host for the other hosts' names.
 */
export function clustersOf(events: EventTable, byHost: ReadonlyMap<string, readonly number[]>, option: ClusterOption): HostCluster[] {
  const hosts = [...byHost.keys()].filter((h) => !h.startsWith('unknown:')).sort();
  if (option.mode === 'none' || hosts.length < 2) return [];
  if (option.mode === 'hosts') {
    return option.groups
      .map((g) => [...new Set(g.map((n) => matchHost(n, hosts)).filter((h): h is string => h !== null))].sort())
      .filter((g) => g.length >= 2)
      .map((g) => ({ hosts: g, rule: `named by --cluster ${g.join(',')}` }));
  }
  return clustersFromMentions(events, byHost, hosts);
}

interface Mention {
  from: string;
  to: string;
  at: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Two hosts are one cluster when the k3s lines of one name the other. A name counts only as a whole
 * word (not inside `w10` or `w1-db`), and a first label only when one host has it (`w1` for
 * `w1.lab.example`). The mention graph's connected groups are the clusters.
 */
function clustersFromMentions(events: EventTable, byHost: ReadonlyMap<string, readonly number[]>, hosts: readonly string[]): HostCluster[] {
  const owner = new Map<string, string>();
  const ambiguous = new Set<string>();
  const claim = (name: string, host: string): void => {
    if (name.length < 2 || NOT_A_PEER.has(name)) return;
    const had = owner.get(name);
    if (had !== undefined && had !== host) ambiguous.add(name);
    else owner.set(name, host);
  };
  for (const h of hosts) {
    const full = lower(h);
    claim(full, h);
    if (!isAddress(full) && full.includes('.')) claim(full.split('.')[0]!, h);
  }
  for (const n of ambiguous) owner.delete(n);
  if (owner.size === 0) return [];
  const names = [...owner.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // Whole words only: a host name is letters, digits, dots and dashes, so none of those may touch it.
  const pattern = new RegExp(`(?<![a-z0-9_.-])(?:${names.map(escapeRegExp).join('|')})(?![a-z0-9_-])(?!\\.[a-z0-9])`, 'gi');

  const mentions: Mention[] = [];
  for (const from of hosts) {
    const k3s = byHost.get(from)!.filter((i) => events.source(i) === 'k3s');
    const seen = new Set<string>([from]);
    for (let b = 0; b < k3s.length && seen.size < hosts.length; b += MESSAGE_BATCH) {
      const batch = k3s.slice(b, b + MESSAGE_BATCH);
      const messages = events.messages(batch);
      for (const i of batch) {
        const m = messages.get(i);
        if (m === undefined) continue;
        for (const hit of m.matchAll(pattern)) {
          const to = owner.get(hit[0].toLowerCase());
          if (to === undefined || seen.has(to)) continue;
          seen.add(to);
          mentions.push({ from, to, at: i });
        }
      }
    }
  }
  if (mentions.length === 0) return [];

  const parent = new Map<string, string>(hosts.map((h) => [h, h]));
  const find = (h: string): string => {
    let r = h;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(h, r);
    return r;
  };
  for (const m of mentions) {
    const a = find(m.from);
    const b = find(m.to);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  const groups = new Map<string, string[]>();
  for (const h of hosts) {
    const r = find(h);
    groups.set(r, [...(groups.get(r) ?? []), h]);
  }
  return [...groups.values()]
    .filter((g) => g.length >= 2)
    .map((g) => {
      const inside = mentions.filter((m) => g.includes(m.from)).sort((a, b) => a.at - b.at);
      const shown = inside.slice(0, MAX_QUOTED_MENTIONS);
      events.prefetchRows(shown.map((m) => m.at));
      const quoted = shown.map((m) => {
        const row = events.row(m.at);
        return `${m.from} names ${m.to} (${row.file}:${row.line})`;
      });
      const more = inside.length - quoted.length;
      return { hosts: g, rule: `k3s lines of one host name the other: ${quoted.join('; ')}${more > 0 ? `; and ${more} more` : ''}` };
    });
}

/** A named signal of one host, as the engine judged it on that host. */
export interface HostSignal {
  host: string;
  kind: SignalKind;
  /** How summaries name it (`Bridge churn`). */
  label: string;
  series: Series;
  /** Its verdict against its own host's windows. */
  verdict: Verdict;
  /** When its sources were watched (JudgeContext.watched). */
  watched: readonly Interval[] | undefined;
}

/** A brute-force campaign of one host, with its verdict there. */
export interface HostCampaign {
  campaign: Campaign;
  verdict: Verdict;
  watched: readonly Interval[] | undefined;
}

/** What the template miner needs of a host to mine it against another host's windows. */
export interface HostMining {
  host: string;
  /** The host's event positions, in time order. */
  all: readonly number[];
  /** Events a named signal speaks for (left out of mining, engine.ts). */
  covered: (i: number) => boolean;
  /** When a series' sources were watched on that host. */
  watched: (s: Series) => readonly Interval[] | undefined;
  /** Templates found on the host against its own windows (cause or symptom there). */
  found: readonly DiscoveredTemplate[];
}

export interface CrossHostInput {
  events: EventTable;
  span: Interval;
  clusters: readonly HostCluster[];
  signals: readonly HostSignal[];
  campaigns?: readonly HostCampaign[];
  mining?: readonly HostMining[];
  /** A host's confirmed windows, sorted, and each one's index in the result's outages. */
  confirmedOf: (host: string) => { windows: readonly WindowLike[]; ids: readonly number[] };
  /** Event positions per host, in time order (the windows' evidence is read from them). */
  byHost: ReadonlyMap<string, readonly number[]>;
}

/** Sources whose lines place an outage's onset: the network witnesses (sshd) and probes. */
const WINDOW_SOURCES = new Set(['sshd', 'probe']);

/**
 * The last line the windows' host logged from a network witness or probe at or before each window's
 * start: a silence starts at its witness's last line, a probe window at its `down` line. It shows the
 * window from the other side of the pair.
 */
function windowEvidence(events: EventTable, positions: readonly number[], windows: readonly WindowLike[], hitWindows: readonly number[]): number[] {
  const witness = positions.filter((i) => WINDOW_SOURCES.has(events.source(i)));
  const out: number[] = [];
  for (const k of hitWindows) {
    const start = windows[k]!.startUs;
    let lo = 0;
    let hi = witness.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events.ts(witness[mid]!) <= start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) out.push(witness[lo - 1]!);
  }
  return out;
}

/** A signal of one host as tested across: what names it in the finding. */
interface Across {
  host: string;
  kind: CrossHostFinding['signalKind'];
  label: string;
  series: Series;
  watched: readonly Interval[] | undefined;
  /** The finding's own keys for its kind (`sourceIp`; `template`, `eventKind`). */
  named: Pick<CrossHostFinding, 'sourceIp' | 'template' | 'eventKind'>;
  /** Tie-breaker among findings of one kind (compareDrafts). */
  key: string;
}

interface Pair {
  signal: Across;
  cluster: HostCluster;
  windowsHost: string;
  windows: readonly WindowLike[];
  ids: readonly number[];
}

/** Every (signal, other host with confirmed windows) pair of a cluster, for signals not explained on their own host. */
function pairsOf(input: CrossHostInput, signals: readonly { across: Across; verdict: Verdict }[]): Pair[] {
  const pairs: Pair[] = [];
  for (const cluster of input.clusters) {
    for (const { across: signal, verdict } of signals) {
      if (!cluster.hosts.includes(signal.host)) continue;
      // Its own host's windows explain it: testing it elsewhere would repeat that finding.
      if (verdict === 'cause' || verdict === 'symptom') continue;
      for (const windowsHost of cluster.hosts) {
        if (windowsHost === signal.host) continue;
        const { windows, ids } = input.confirmedOf(windowsHost);
        if (windows.length === 0) continue;
        pairs.push({ signal, cluster, windowsHost, windows, ids });
      }
    }
  }
  return pairs;
}

const ctxOf = (input: CrossHostInput, p: Pair) => ({ span: input.span, windows: p.windows, watched: p.signal.watched });

/**
 * Pairs each one test, chosen before any window is looked at: each alone first, the smallest chance
 * it could reach decides whether it counts (Tarone); then each against the corrected threshold.
 */
function judgedPairs(input: CrossHostInput, pairs: readonly Pair[]): { pair: Pair; judgement: Judgement; tested: number }[] {
  if (pairs.length === 0) return [];
  const minChances = pairs.map((p) => {
    const j = judgeSignal(p.signal.series, ctxOf(input, p));
    return Math.min(j.minChanceLead ?? 1, j.minChanceInside ?? 1);
  });
  const tested = testedCount(minChances);
  return pairs.map((pair) => ({ pair, judgement: judgeSignal(pair.signal.series, { ...ctxOf(input, pair), tested }), tested }));
}


const templateKey = (kind: string, template: string): string => `${kind}\u0000${template}`;

/** A template summary's cut (engine.ts SUMMARY_TEMPLATE_CHARS). */
const SUMMARY_TEMPLATE_CHARS = 120;

/**
 * The templates of each host mined against each other host's windows, judged against the threshold
 * corrected for every candidate of every pair; those that only accompany a signal already found
 * across for the pair (`already`), with the same verdict, folded into it.
 */
function templatePairs(
  input: CrossHostInput,
  already: readonly { pair: Pair; judgement: Judgement }[],
): { pair: Pair; judgement: Judgement; tested: number }[] {
  const mined: Pair[] = [];
  let candidates = 0;
  for (const cluster of input.clusters) {
    for (const m of input.mining ?? []) {
      if (!cluster.hosts.includes(m.host)) continue;
      const explained = new Set(m.found.map((t) => templateKey(t.kind, t.template)));
      for (const windowsHost of cluster.hosts) {
        if (windowsHost === m.host) continue;
        const { windows, ids } = input.confirmedOf(windowsHost);
        if (windows.length === 0) continue;
        const discovery = discoverTemplates(input.events, m.all, m.covered, { span: input.span, windows }, m.watched);
        candidates += discovery.candidates;
        const found = (s: Series, verdict: Verdict): boolean =>
          already.some((x) => x.pair.signal.host === m.host && x.pair.windowsHost === windowsHost && x.judgement.verdict === verdict && accompanies(s, x.pair.signal.series));
        const kept: DiscoveredTemplate[] = [];
        for (const t of discovery.found) {
          if (kept.length === MAX_TEMPLATE_FINDINGS) break;
          if (explained.has(templateKey(t.kind, t.template)) || found(t.series, t.judgement.verdict)) continue;
          kept.push(t);
        }
        const pairOf = (t: DiscoveredTemplate): Pair => ({
          signal: {
            host: m.host,
            kind: 'template-burst',
            label: `The template \`${truncate(t.template, SUMMARY_TEMPLATE_CHARS)}\` (${t.kind}) on ${m.host}`,
            series: t.series,
            watched: m.watched(t.series),
            named: { template: t.template, eventKind: t.kind },
            key: `template-burst\u0000${t.kind}\u0000${t.template}\u0000${windowsHost}`,
          },
          cluster,
          windowsHost,
          windows,
          ids,
        });
        for (const t of kept) mined.push(pairOf(t));
      }
    }
  }
  // Each template was held to its own pair's candidates; now to every pair's (a stricter threshold
  // only takes cause and symptom away, discover.ts).
  const tested = Math.max(1, candidates);
  return mined.map((pair) => ({ pair, judgement: judgeSignal(pair.signal.series, { ...ctxOf(input, pair), tested }), tested }));
}

/** Cross-host findings: only pairs judged `cause` or `symptom` at the corrected threshold become findings. */
export function crossHostDrafts(input: CrossHostInput): FindingDraft[] {
  const named = judgedPairs(
    input,
    pairsOf(
      input,
      input.signals.map((s) => ({
        across: { host: s.host, kind: s.kind, label: `${s.label} on ${s.host}`, series: s.series, watched: s.watched, named: {}, key: `${s.kind}\u0000` },
        verdict: s.verdict,
      })),
    ),
  );
  const campaigns = judgedPairs(
    input,
    pairsOf(
      input,
      (input.campaigns ?? []).map(({ campaign: c, verdict, watched }) => ({
        across: {
          host: c.host,
          kind: 'ssh-bruteforce',
          label: `The SSH brute force from ${c.ip} (${c.attempts} attempts, ${c.usernames} user names) on ${c.host}`,
          series: c.series,
          watched,
          named: { sourceIp: c.ip },
          key: `ssh-bruteforce\u0000${c.ip}\u0000`,
        },
        verdict,
      })),
    ),
  );
  const reported = (xs: readonly { pair: Pair; judgement: Judgement; tested: number }[]) => xs.filter((x) => x.judgement.verdict === 'cause' || x.judgement.verdict === 'symptom');
  const signals = [...reported(named), ...reported(campaigns)];
  const templates = input.clusters.length > 0 && (input.mining?.length ?? 0) > 0 ? reported(templatePairs(input, signals)) : [];
  return [...signals, ...templates].map(({ pair: p, judgement, tested }) => findingOf(input, p, judgement, tested));
}

function findingOf(input: CrossHostInput, p: Pair, judgement: Judgement, tested: number): FindingDraft {
  const core = judgedCore({
    events: input.events,
    host: p.signal.host,
    label: `${p.signal.label}, against the outages of ${p.windowsHost}`,
    series: p.signal.series,
    judgement,
    windows: p.windows,
    outageIds: p.ids,
  });
  // Lines of both hosts, fetched with every other finding's when the result is written (evidence.ts).
  const signalLines: EvidenceLine[] = core.evidence.slice(0, MAX_SIGNAL_EVIDENCE).map((e) => withHost(e, p.signal.host));
  const windowAt = windowEvidence(input.events, input.byHost.get(p.windowsHost) ?? [], p.windows, judgement.hitWindows).slice(0, MAX_EVIDENCE - signalLines.length);
  const windowLines = windowAt.map((i) => deferredEvidenceLine(input.events, i, p.windowsHost));
  const evidence = [...signalLines, ...windowLines].sort((a, b) => a.tsUs - b.tsUs);
  const finding: CrossHostFinding = {
    ...core,
    evidence,
    kind: 'cross-host',
    signalKind: p.signal.kind,
    ...p.signal.named,
    windowsHost: p.windowsHost,
    cluster: [...p.cluster.hosts],
    clusterRule: p.cluster.rule,
    pairsTested: tested,
    chanceNeeded: Number(judgement.chanceNeeded.toPrecision(3)),
  };
  return draftOf(finding, `${p.signal.key}${p.windowsHost}`);
}
