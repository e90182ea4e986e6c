/** `corr report`'s rendering: pure functions from a gathered ReportInput to markdown, SVG and HTML. */
export type { ReportInput, Story } from './types.js';
export { renderMarkdown } from './markdown.js';
export { renderSvg } from './svg.js';
export { renderHtml } from './html.js';
export { defaultTitle } from './anchor.js';
