import { type ReportModel } from './model.js';
import { howToApplySection, lessonsSection, outOfScopeSection } from './sections/closing.js';
import { coverageSection } from './sections/coverage.js';
import { crossHostSection } from './sections/cross-host.js';
import { buildIntro } from './sections/intro.js';
import { momentsSection } from './sections/moments.js';
import { planStories } from './sections/plan.js';
import { storySections } from './sections/stories.js';
import { symptomSection } from './sections/symptom.js';
import type { ReportInput } from './types.js';
import { viewOf } from './view.js';

/**
 * What the report says, in the seed postmortem's order — anchor, the symptom that opened the session,
 * one section per independent story, the timeline of key moments, lessons, out of scope, how to apply,
 * then the assumptions behind every instant. The renderers (src/report/render/) only decide how.
 */
export function buildReportModel(input: ReportInput, withFigure: boolean): ReportModel {
  const view = viewOf(input);
  const plan = planStories(input, view);
  const crossHost = crossHostSection(input, view);
  return {
    title: input.title,
    intro: buildIntro(input, view, plan, withFigure),
    sections: [
      symptomSection(input, view),
      ...storySections(input, view, plan),
      ...(crossHost === null ? [] : [crossHost]),
      momentsSection(input, view, plan),
      lessonsSection(view, plan),
      outOfScopeSection(view),
      howToApplySection(),
      coverageSection(input),
    ],
  };
}
