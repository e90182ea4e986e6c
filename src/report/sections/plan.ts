import type { ReportInput, Story } from '../types.js';
import { type View, type ViewFinding, findingById, findingLabel, isCrossHost } from '../view.js';
import { type Stop, stoppedCauses } from './questions.js';

/**
 * Which independent stories the report tells, in what order: each story of the correlator (a cause
 * with its symptoms, a brute force, a lying monitor …), and for every cause that stopped for good a
 * story of its own — the seed's "cause 2": something ended it that no log line shows. The headline
 * counts these, so it can never disagree with the sections.
 */

export type StoryRole = 'cause' | 'stop' | 'background' | 'artifact' | 'other';

export interface PlannedStory {
  n: number;
  role: StoryRole;
  /** The correlator's story (absent for a stop, which the report infers). */
  story: Story | null;
  members: ViewFinding[];
  stop: Stop | null;
  /** Plain text of the heading after `Story n — `. */
  title: string;
}

/**
 * Stories told in a section of their own; past this many (a store with a hundred template bursts)
 * the rest are listed one line each, so the draft keeps to an issue's size.
 */
export const MAX_STORY_SECTIONS = 12;

const ROLE_ORDER: Record<StoryRole, number> = { cause: 0, stop: 0, background: 1, artifact: 2, other: 3 };

function roleOf(members: readonly ViewFinding[]): StoryRole {
  if (members.some((f) => f.verdict === 'cause')) return 'cause';
  if (members.some((f) => f.verdict === 'artifact')) return 'artifact';
  if (members.length > 0 && members.every((f) => f.verdict === 'background')) return 'background';
  return 'other';
}

function lead(members: readonly ViewFinding[], role: StoryRole): ViewFinding | undefined {
  const want = role === 'cause' ? 'cause' : role === 'artifact' ? 'artifact' : role === 'background' ? 'background' : null;
  return members.find((f) => f.verdict === want) ?? members[0];
}

export function planStories(input: ReportInput, view: View): PlannedStory[] {
  const stops = stoppedCauses(input, view);
  // A finding the correlator grouped into no story is a story of its own: nothing is left untold.
  const grouped = new Set(view.stories.flatMap((s) => s.findings));
  const alone = view.findings.filter((f) => !grouped.has(f.id)).map((f) => ({ id: f.id, findings: [f.id], summary: f.summary }));
  const told = [...view.stories, ...alone]
    .map((story) => {
      // Cross-host findings have a section of their own (sections/cross-host.ts).
      const members = story.findings.flatMap((id) => findingById(view, id) ?? []).filter((f) => !isCrossHost(f));
      return { story, members, role: roleOf(members) };
    })
    .filter((s) => s.members.length > 0);
  const ordered = told
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.i - b.i);
  const out: PlannedStory[] = [];
  for (const s of ordered) {
    const main = lead(s.members, s.role) as ViewFinding;
    const titleOf: Record<StoryRole, string> = {
      cause: `cause: ${findingLabel(main)}`,
      background: `background: ${findingLabel(main)}`,
      artifact: `artifact: ${findingLabel(main)}, a monitor that lied`,
      other: `${main.verdict}: ${findingLabel(main)}`,
      stop: '',
    };
    out.push({ n: out.length + 1, role: s.role, story: s.story, members: s.members, stop: null, title: titleOf[s.role] });
    for (const stop of stops.filter((st) => s.members.includes(st.cause))) {
      out.push({ n: out.length + 1, role: 'stop', story: null, members: [stop.cause], stop, title: `what stopped ${findingLabel(stop.cause)}?` });
    }
  }
  return out;
}

/** `1 cause, 1 stop the logs cannot explain, 1 background signal, 1 lying monitor`. */
export function storyCounts(plan: readonly PlannedStory[]): string {
  const names: [StoryRole, string, string][] = [
    ['cause', 'cause', 'causes'],
    ['stop', 'stop the logs cannot explain', 'stops the logs cannot explain'],
    ['background', 'background signal', 'background signals'],
    ['artifact', 'lying monitor', 'lying monitors'],
    ['other', 'other signal', 'other signals'],
  ];
  return names
    .map(([role, one, many]) => [plan.filter((p) => p.role === role).length, one, many] as const)
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}
