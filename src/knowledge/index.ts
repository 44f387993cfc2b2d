export * from './types.js';
export { KnowledgeError } from './errors.js';
export { DERIVED_OFFICE_FIELD, loadKnowledgeBase, MIN_CORE_UTTERANCES, REQUIRED_OFFICE_FIELDS, withOfficeHours } from './load.js';
export { composeAnswer, renderAnswer, renderText, UNCONFIRMED_NOTE, UnknownIntentError } from './render.js';
export { createKnowledgeWatcher, type KnowledgeWatcher, type KnowledgeWatcherOptions } from './watch.js';
export { placeholderFields } from './placeholders.js';
