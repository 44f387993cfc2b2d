import { defineConfig } from 'vitest/config';
import { TEST_MODEL_CACHE_DIR } from './test/model-cache-dir.js';

/** What every test project shares. */
const common = {
  globalSetup: ['test/global-setup.ts'],
  environment: 'node',
  pool: 'forks',
  // Hang guards, not speed checks (speed is measured by `npm run bench`): generous, so a busy
  // or slow machine (CI sharing its cores, Node 24 in a second run) does not fail a test that works.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Trained NLU models are shared by every test process and every `sapa` the tests start
  // (the key covers the knowledge base and the code, so a stale one is never used).
  env: { DOTENV_CONFIG_QUIET: 'true', SAPA_MODEL_CACHE: TEST_MODEL_CACHE_DIR },
} as const;

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'main', include: ['test/**/*.test.ts'], exclude: ['test/abuse/**', '**/node_modules/**'], sequence: { groupOrder: 0 } } },
      // The abuse suites bound what the server does under attack (/healthz within 1 s, RSS under
      // 300 MB): they run last, one file at a time, with no other test competing for the cores.
      { test: { ...common, name: 'abuse', include: ['test/abuse/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
