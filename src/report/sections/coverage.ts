import type { SectionSummary } from '../../store/types.js';
import { type Inline, type ListItem, type Section, code, paragraph, text } from '../model.js';
import type { ReportInput } from '../types.js';
import { prose } from './phrases.js';

/**
 * `## Assumptions and coverage`: what was read, and every assumption made to put it on one UTC
 * clock (zone, year, boot anchor). A conclusion is only as good as these, so they are spelled out
 * per source.
 */

export function sourceName(s: SectionSummary): string {
  return s.section === null ? s.path : `${s.path} § ${s.section}`;
}

export function coverageSection(input: ReportInput): Section {
  const heading = [text('Assumptions and coverage')];
  if (input.sources.length === 0) {
    return { id: 'coverage', heading, blocks: [paragraph(text('No sources were listed for this report.'))] };
  }
  const header = ['Source', 'Format', 'Host', 'Zone', 'Lines', 'Events', 'Continuations', 'Skipped', 'Warnings'];
  const rows = input.sources.map((s): Inline[] => [
    [code(sourceName(s))],
    [text(s.format ?? (s.assumptions.some((a) => a.startsWith('read as a fact')) ? 'facts' : 'not a log'))],
    [text(s.host ?? '—')],
    [text(s.tz ?? '—')],
    [text(String(s.lines))],
    [text(String(s.events))],
    [text(String(s.continuations))],
    [text(String(s.skipped))],
    [text(String(s.warnings.length))],
  ]);
  const details: ListItem[] = input.sources
    .filter((s) => s.assumptions.length > 0 || s.warnings.length > 0)
    .map((s) => ({
      content: [code(sourceName(s))],
      children: [
        ...s.assumptions.map((a): Inline => [text('Assumption: '), ...prose(a)]),
        ...s.warnings.map((w): Inline => [text('Warning: '), ...prose(w)]),
      ],
    }));
  const blocks: Section['blocks'] = [{ type: 'table', header, rows }];
  if (details.length > 0) blocks.push({ type: 'list', items: details });
  else blocks.push(paragraph(text('No source needed an assumption or raised a warning.')));
  return { id: 'coverage', heading, blocks, fold: true };
}
