/**
 * Every dialogue in test/conversations/ (the office's scripted conversations, also run by
 * `npx sapa test-dialogues`). A dialogue marked known_issue (a defect reported elsewhere,
 * e.g. a misclassification) is run and reported but does not fail the suite.
 */
import { describe, expect, it } from 'vitest';
import { dialogueFiles, formatResult, loadDialogues, runDialogue, type DialogueRunnerDeps } from '../src/dialogue-tests/index.js';
import { repoPath } from '../src/paths.js';
import { testClassifier, testKnowledge, testPolicy } from './helpers/core.js';

const files = dialogueFiles(repoPath('test', 'conversations'));
const deps = (): DialogueRunnerDeps => ({ knowledge: testKnowledge(), classifier: testClassifier(), policy: testPolicy(), timeZone: 'Asia/Makassar' });

describe('dialogue tests (test/conversations)', () => {
  it('has at least 60 dialogues in Indonesian, Kupang Malay and English', () => {
    const dialogues = files.flatMap((file) => loadDialogues(file));
    expect(dialogues.length).toBeGreaterThanOrEqual(60);
    expect(new Set(dialogues.map((d) => d.language))).toEqual(new Set(['id', 'kupang', 'en']));
  });

  for (const file of files) {
    describe(file.slice(file.lastIndexOf('/') + 1), () => {
      for (const dialogue of loadDialogues(file)) {
        if (dialogue.known_issue) {
          it(`${dialogue.name} [known issue: ${dialogue.known_issue}]`, () => {
            const result = runDialogue(deps(), dialogue);
            if (result.passed) console.info(`known issue no longer shows, remove the mark: ${dialogue.name}`);
          });
          continue;
        }
        it(dialogue.name, () => {
          const result = runDialogue(deps(), dialogue);
          expect(result.passed, formatResult(result)).toBe(true);
        });
      }
    });
  }
});
