import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp copy of intents/ and data/office.yaml that a test may break freely. */
export function copyKnowledge(): { dir: string; intents: string; office: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-kb-'));
  cpSync('intents', join(dir, 'intents'), { recursive: true });
  cpSync('data/office.yaml', join(dir, 'office.yaml'));
  return {
    dir,
    intents: join(dir, 'intents'),
    office: join(dir, 'office.yaml'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
