import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Trained NLU models are shared by every test process and every `sapa` the tests start
    // (the key covers the knowledge base and the code, so a stale one is never used).
    env: { DOTENV_CONFIG_QUIET: 'true', SAPA_MODEL_CACHE: join(tmpdir(), 'sapa-test-models') },
  },
});
