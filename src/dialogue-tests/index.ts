/** Dialogue tests (test/conversations/*.yaml): loading, running, reporting. */
export { DialogueFileError, dialogueFiles, loadDialogues, parseWait, TICKET_EFFECTS, type Dialogue, type DialogueTurn, type Expectation, type TicketEffect } from './load.js';
export { DEFAULT_DIALOGUE_START, formatResult, runDialogue, type BotReply, type DialogueResult, type DialogueRunnerDeps, type TurnRecord } from './run.js';
