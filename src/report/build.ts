import { buildIntro } from './anchor.js';
import { backgroundSection, inconclusiveSection } from './background.js';
import { causeSections, symptomsSection } from './causes.js';
import { coverageSection } from './coverage.js';
import { type ReportModel, type Section, placeholderList, text } from './model.js';
import { probeTrustSection } from './probe.js';
import { symptomSection } from './symptom.js';
import { timelineSection } from './timeline.js';
import type { ReportInput } from './types.js';

/**
 * The report's structure, in the seed postmortem's order: anchor, the symptom that opened the
 * session, each cause, symptoms, probe trust, background, inconclusive, the timeline, assumptions,
 * then the places only a human can fill.
 */
export function buildReportModel(input: ReportInput, withFigure: boolean): ReportModel {
  const sections: Section[] = [
    symptomSection(input),
    ...causeSections(input),
    ...optional(symptomsSection(input)),
    probeTrustSection(input),
    ...optional(backgroundSection(input)),
    ...optional(inconclusiveSection(input)),
    timelineSection(input),
    coverageSection(input),
    { id: 'lessons', heading: [text('Lessons')], blocks: [placeholderList()] },
    { id: 'out-of-scope', heading: [text('Out of scope')], blocks: [placeholderList()] },
  ];
  return { title: input.title, intro: buildIntro(input, withFigure), sections };
}

function optional(s: Section | null): Section[] {
  return s === null ? [] : [s];
}
