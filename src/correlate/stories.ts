/**
 * Stories: findings grouped into independent causes, so that stacked incidents are told apart (the
 * seed had three: bridge churn with its timeouts, a brute force, and a lying probe).
 *
 *  - causes and symptoms on one host that are tied to a common outage window are one story;
 *  - brute-force campaigns on one host are one story (one exposed port, whatever the addresses);
 *  - every other finding (a lying probe, background, inconclusive) is a story of its own: its timing
 *    ties it to no outage.
 */
import { type Finding, type Story, isJudged } from '../model/finding.js';
import type { OutageSpan } from '../model/outage.js';
import { CHANCE_THRESHOLD, LEAD_BEFORE_US } from './judge.js';
import type { FindingDraft } from './findings.js';
import { MINUTE_US, iso } from './stats.js';

class DisjointSets {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** The host whose outages a finding speaks about: a cross-host finding's are another host's than its signal's. */
function outagesHost(f: Finding): string {
  return f.kind === 'cross-host' ? f.windowsHost : f.host;
}

function describe(members: readonly Finding[], windowsTied: number): string {
  const causes = members.filter((f) => f.verdict === 'cause');
  const symptoms = members.filter((f) => f.verdict === 'symptom');
  const host = outagesHost(members[0]!);
  const name = (f: Finding): string => (f.kind === 'cross-host' ? `${f.id} cross-host (${f.signalKind} on ${f.host})` : `${f.id} ${f.kind}`);
  if (causes.length > 0 || symptoms.length > 0) {
    const parts: string[] = [];
    if (causes.length > 0) parts.push(`${causes.map(name).join(', ')} ${causes.length === 1 ? 'is the cause' : 'are causes'}`);
    if (symptoms.length > 0) parts.push(`${symptoms.map(name).join(', ')} ${symptoms.length === 1 ? 'follows' : 'follow'} inside them`);
    const rest = members.filter((f) => f.verdict !== 'cause' && f.verdict !== 'symptom');
    if (rest.length > 0) parts.push(`also tied: ${rest.map(name).join(', ')}`);
    return `Outages on ${host} (${windowsTied} window${windowsTied === 1 ? '' : 's'}): ${parts.join('; ')}.`;
  }
  if (members.every((f) => f.kind === 'ssh-bruteforce')) {
    const attempts = members.reduce((sum, f) => sum + (f.kind === 'ssh-bruteforce' ? f.attempts : 0), 0);
    const verdicts = [...new Set(members.map((f) => f.verdict))].join('/');
    return `SSH brute force on ${host} from ${members.length} address${members.length === 1 ? '' : 'es'} (${attempts} attempts; ${members.map((f) => f.id).join(', ')}): ${verdicts}, independent of the outages unless a verdict says otherwise.`;
  }
  const f = members[0]!;
  if (f.kind === 'probe-artifact') {
    return `The probe of ${host} lies from ${iso(f.startUs)} (${f.id}): its down windows from then on are artifacts, not outages.`;
  }
  return `${name(f)} on ${host} stands alone: ${f.verdict}.`;
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10} %`;
}

/**
 * A story for each host whose confirmed outages no finding explains: no cause, the closest
 * candidates with the rule each failed and its figure, and what data would decide it. With n onsets,
 * a signal that leads every one has chance q^n when its episodes cover a share q of the span, so it
 * is told from chance only if q <= CHANCE_THRESHOLD^(1/n): that share says how thin n is.
 */
function unexplained(host: string, n: number, findings: readonly Finding[]): { summary: string; ids: string[] } {
  const judged = findings.filter((f) => f.host === host && f.kind !== 'cross-host' && isJudged(f) && f.verdict === 'inconclusive');
  const causeRules = (f: Finding) => (isJudged(f) ? f.figures.rules.filter((r) => r.rule.startsWith('cause: ')) : []);
  const closest = [...judged]
    .map((f) => ({ f, met: causeRules(f).filter((r) => r.met).length }))
    .filter((x) => x.met >= 2)
    .sort((a, b) => b.met - a.met || (a.f.chance ?? 1) - (b.f.chance ?? 1))
    .slice(0, 3);
  const named = closest.map(({ f }) => {
    const failed = causeRules(f).filter((r) => !r.met).map((r) => `${r.rule.slice('cause: '.length)} (${r.detail})`);
    return `${f.id} ${f.kind} fails ${failed.join('; ')}`;
  });
  const now = Math.pow(CHANCE_THRESHOLD, 1 / n);
  const more = Math.pow(CHANCE_THRESHOLD, 1 / (n + 2));
  const thin =
    `with ${n} confirmed onset${n === 1 ? '' : 's'}, a signal that leads every one is told from chance only if its episodes cover under ${percent(now)} of the observed time`;
  const decide =
    `more onsets (at ${n + 2}, under ${percent(more)} would do) or logs from the ${LEAD_BEFORE_US / MINUTE_US} minutes before each onset from sources not collected here (a service's journal, the kernel ring buffer, the network gear)`;
  const closestText = named.length > 0 ? ` Closest: ${named.join('; ')}.` : ' No signal leads most onsets.';
  return {
    summary: `No cause found for the ${n} confirmed outage${n === 1 ? '' : 's'} on ${host}.${closestText} The evidence is thin: ${thin}. What would decide it: ${decide}.`,
    ids: closest.map(({ f }) => f.id),
  };
}

export function groupStories(drafts: readonly FindingDraft[], findings: readonly Finding[], outages: readonly OutageSpan[] = []): Story[] {
  const sets = new DisjointSets(findings.length);
  const owner = new Map<string, number>();
  drafts.forEach((d, i) => {
    const f = findings[i]!;
    for (const w of d.hitWindows) {
      const key = `${outagesHost(f)}\u0000${w}`;
      const first = owner.get(key);
      if (first === undefined) owner.set(key, i);
      else sets.union(first, i);
    }
    if (f.kind === 'ssh-bruteforce') {
      const key = `${f.host}\u0000ssh`;
      const first = owner.get(key);
      if (first === undefined) owner.set(key, i);
      else sets.union(first, i);
    }
  });
  const groups = new Map<number, number[]>();
  findings.forEach((_, i) => {
    const root = sets.find(i);
    let list = groups.get(root);
    if (!list) groups.set(root, (list = []));
    list.push(i);
  });
  const stories: Story[] = [];
  for (const members of [...groups.values()].sort((a, b) => a[0]! - b[0]!)) {
    const tied = new Set(members.flatMap((i) => drafts[i]!.hitWindows));
    stories.push({
      id: `S${stories.length + 1}`,
      findings: members.map((i) => findings[i]!.id),
      summary: describe(
        members.map((i) => findings[i]!),
        tied.size,
      ),
    });
  }
  const confirmedHosts = [...new Set(outages.filter((o) => o.status === 'confirmed').map((o) => o.host))].sort();
  for (const host of confirmedHosts) {
    if (findings.some((f) => outagesHost(f) === host && f.verdict === 'cause')) continue;
    const n = outages.filter((o) => o.host === host && o.status === 'confirmed').length;
    const u = unexplained(host, n, findings);
    stories.push({ id: `S${stories.length + 1}`, findings: u.ids, summary: u.summary });
  }
  return stories;
}
