/**
 * Trains the NLU model once before the tests run, for the test processes (which import the
 * TypeScript sources) and for the `sapa` processes the tests start (which run the compiled
 * dist/), and keeps both in SAPA_MODEL_CACHE (vitest.config.ts). Training takes several
 * seconds; without this, the first test of each process to need a classifier would pay for it
 * inside its own time limit.
 */
import { execFileSync } from 'node:child_process';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import { createClassifier } from '../src/nlu/classifier.js';
import { repoPath } from '../src/paths.js';
import { TEST_MODEL_CACHE_DIR } from './model-cache-dir.js';

export default function setup(): void {
  const cacheDir = TEST_MODEL_CACHE_DIR;
  createClassifier(loadKnowledgeBase(repoPath('intents'), repoPath('data', 'office.yaml')), { cacheDir });
  execFileSync(process.execPath, [repoPath('bin', 'sapa.js'), 'classify', 'halo'], {
    cwd: repoPath(),
    env: { ...process.env, SAPA_MODEL_CACHE: cacheDir, DOTENV_CONFIG_QUIET: 'true' },
    stdio: 'ignore',
  });
}
