/** The shared domain model: every layer imports these types; this directory imports nothing. */
export * from './time.js';
export * from './event.js';
export * from './notes.js';
export * from './source.js';
