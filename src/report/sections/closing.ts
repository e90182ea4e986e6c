import { type Block, type ListItem, type Section, code, paragraph, prompt, strong, text } from '../model.js';
import { formatDuration } from '../time.js';
import { type View, byVerdict, findingLabel } from '../view.js';
import type { PlannedStory } from './plan.js';
import { delayAfterWatch, publicAttacks } from './questions.js';

/**
 * The places only a human can finish: lessons pre-filled from what the findings show (each marked
 * as a draft), out of scope, and how to apply the postmortem.
 */

export function lessonsSection(view: View, plan: readonly PlannedStory[]): Section {
  const items: ListItem[] = [];
  const draft = (...rest: ListItem['content']) => items.push({ content: [strong('Draft: '), ...rest] });
  for (const f of byVerdict(view, 'artifact').filter((f) => f.kind === 'probe-artifact')) {
    draft(strong('Probes must validate output, not just exit codes.'), text(' '), code(findingLabel(f)), text(' kept reporting plausible state while it lied.'));
  }
  if (publicAttacks(view).length > 0) {
    const ids = publicAttacks(view).map(findingLabel);
    draft(strong('The public allowlist must live in the repo, not only on the router.'), text(' '), ...ids.flatMap((id, i) => [text(i > 0 ? ', ' : ''), code(id)]), text(' reached sshd from the internet.'));
  }
  for (const p of plan.filter((p) => p.role === 'stop')) {
    const delay = delayAfterWatch(p.stop!);
    draft(
      strong(`What stopped ${p.stop!.cause.kind}?`),
      text(delay === null ? ' It ended with no log line saying why; ' : ` It went on for ${formatDuration(delay)} after monitoring began; `),
      prompt('name what ended it, and how to see that sooner next time.'),
    );
  }
  for (const p of plan.filter((p) => p.role === 'cause')) {
    draft(prompt(`what keeps ${p.members.find((f) => f.verdict === 'cause')!.kind} from taking the host down again?`));
  }
  items.push({ content: [prompt('lessons the logs cannot suggest.')] });
  return { id: 'lessons', heading: [text('Lessons')], blocks: [{ type: 'list', ordered: true, items }] };
}

export function outOfScopeSection(view: View): Section {
  const blocks: Block[] = [];
  const inconclusive = byVerdict(view, 'inconclusive');
  const items: ListItem[] = inconclusive.map((f) => ({ content: [code(findingLabel(f)), text(': inconclusive in the data; '), prompt('follow up, or say why not.')] }));
  items.push({ content: [prompt('what this postmortem deliberately leaves out (observability, migrations, audits).')] });
  blocks.push({ type: 'list', items });
  return { id: 'out-of-scope', heading: [text('Out of scope')], blocks };
}

export function howToApplySection(): Section {
  return {
    id: 'how-to-apply',
    heading: [text('How to apply')],
    blocks: [
      paragraph(text('Every line marked Draft or to fill is a prompt: answer it, or delete it. The figures come from '), code('corr correlate'), text(' and re-running the command in the Timeline section shows every line behind them.')),
      { type: 'list', items: [{ content: [prompt('which lessons become issues or doc changes, and who closes this postmortem.')] }] },
    ],
  };
}
