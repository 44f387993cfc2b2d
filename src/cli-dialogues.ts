/**
 * `sapa test-dialogues [FILE|DIR ...]`: runs the dialogue tests (default test/conversations/)
 * against the current intents/ and office profile, prints PASS/FAIL per dialogue (with the
 * transcript of each failure) and a summary; exit code 1 when a dialogue fails. Dialogues
 * marked `known_issue` are reported but do not fail the run.
 */
import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import { dialogueFiles, formatResult, loadDialogues, runDialogue, type DialogueResult } from './dialogue-tests/index.js';
import { loadKnowledgeBase } from './knowledge/index.js';
import { createClassifier } from './nlu/classifier.js';
import { repoPath } from './paths.js';
import { loadSlaPolicy } from './sla/policy.js';

export interface TestDialoguesOptions {
  readonly paths: readonly string[];
  /** Print every dialogue's transcript, not only the failures'. */
  readonly verbose: boolean;
  /** Whole replies in transcripts instead of excerpts. */
  readonly full?: boolean;
  readonly write: (text: string) => void;
}

export const DEFAULT_DIALOGUES_DIR = 'test/conversations';

export function testDialoguesCommand(config: Config, options: TestDialoguesOptions): number {
  const targets = options.paths.length > 0 ? options.paths : [existsSync(DEFAULT_DIALOGUES_DIR) ? DEFAULT_DIALOGUES_DIR : repoPath('test', 'conversations')];
  const dialogues = targets.flatMap((target) => dialogueFiles(target)).flatMap((file) => loadDialogues(file));
  const knowledge = loadKnowledgeBase(config.intentsDir, config.officeFile);
  const classifier = createClassifier(knowledge, config.modelCacheDir === null ? {} : { cacheDir: config.modelCacheDir });
  const policy = loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone });
  const results: DialogueResult[] = [];
  for (const dialogue of dialogues) {
    const result = runDialogue({ knowledge, classifier, policy, timeZone: config.timeZone }, dialogue);
    results.push(result);
    options.write(`${formatResult(result, { transcript: options.verbose, full: options.full === true })}\n`);
  }
  const passed = results.filter((r) => r.passed).length;
  const known = results.filter((r) => !r.passed && r.dialogue.known_issue).length;
  const failed = results.length - passed - known;
  options.write(`\n${results.length} dialogues: ${passed} passed, ${failed} failed${known > 0 ? `, ${known} known issues` : ''}\n`);
  return failed > 0 ? 1 : 0;
}
