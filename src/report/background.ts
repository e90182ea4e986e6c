import { evidenceBlocks, findingFacts } from './details.js';
import { findingLabel, findingsWithVerdict } from './findings.js';
import { type Block, type Section, code, paragraph, strong, text } from './model.js';
import type { ReportInput } from './types.js';

/**
 * `## Background (not load-bearing)` and `## Inconclusive`: signals the reader will notice in the
 * logs (a brute force is loud) and must be told, explicitly, did not cause the outages.
 */

/** Background signals are often huge; a few lines show what they look like. */
const BACKGROUND_EVIDENCE_QUOTED = 3;

export function backgroundSection(input: ReportInput): Section | null {
  const found = findingsWithVerdict(input, 'background');
  if (found.length === 0) return null;
  const blocks = found.flatMap((f): Block[] => [
    { type: 'subheading', content: [code(findingLabel(f))] },
    paragraph(strong('Not load-bearing. '), text(f.summary)),
    { type: 'list', items: findingFacts(f, input.tz) },
    ...evidenceBlocks(f, 'Sample lines', BACKGROUND_EVIDENCE_QUOTED),
  ]);
  return { id: 'background', heading: [text('Background (not load-bearing)')], blocks };
}

export function inconclusiveSection(input: ReportInput): Section | null {
  const found = findingsWithVerdict(input, 'inconclusive');
  if (found.length === 0) return null;
  const blocks = found.flatMap((f): Block[] => [
    { type: 'subheading', content: [code(findingLabel(f))] },
    paragraph(text(f.summary)),
    { type: 'list', items: findingFacts(f, input.tz) },
    ...evidenceBlocks(f, 'Evidence'),
  ]);
  return { id: 'inconclusive', heading: [text('Inconclusive')], blocks };
}
