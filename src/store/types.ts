/** The store's shapes are the model's (src/model/); re-exported for the callers that name them here. */
export type { EventRow, EventQuery } from '../model/event.js';
export type { SectionSummary, StoredSection } from '../model/source.js';
