/**
 * Stories: findings grouped into independent causes, so that stacked incidents are told apart (the
 * seed had three: bridge churn with its timeouts, a brute force, and a lying probe).
 *
 *  - causes and symptoms on one host that are tied to a common outage window are one story;
 *  - brute-force campaigns on one host are one story (one exposed port, whatever the addresses);
 *  - every other finding (a lying probe, background, inconclusive) is a story of its own: its timing
 *    ties it to no outage.
 */
import type { Finding, Story } from '../model/finding.js';
import type { FindingDraft } from './findings.js';
import { iso } from './stats.js';

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

function describe(members: readonly Finding[], windowsTied: number): string {
  const causes = members.filter((f) => f.verdict === 'cause');
  const symptoms = members.filter((f) => f.verdict === 'symptom');
  const host = members[0]!.host;
  const name = (f: Finding): string => `${f.id} ${f.kind}`;
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

export function groupStories(drafts: readonly FindingDraft[], findings: readonly Finding[]): Story[] {
  const sets = new DisjointSets(findings.length);
  const owner = new Map<string, number>();
  drafts.forEach((d, i) => {
    const f = findings[i]!;
    for (const w of d.hitWindows) {
      const key = `${f.host}\u0000${w}`;
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
  return stories;
}
