/** Where the tests keep trained NLU models (shared by vitest.config.ts and the global setup). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_MODEL_CACHE_DIR = join(tmpdir(), 'sapa-test-models');
