export * from './types.js';
export { KnowledgeError } from './errors.js';
export { loadKnowledgeBase, MIN_CORE_UTTERANCES, REQUIRED_OFFICE_FIELDS } from './load.js';
export { composeAnswer, renderAnswer, renderText, UNCONFIRMED_NOTE, UnknownIntentError } from './render.js';
export { createKnowledgeWatcher, type KnowledgeWatcher, type KnowledgeWatcherOptions } from './watch.js';
export { placeholderFields } from './placeholders.js';
