/** `sapa test-dialogues`: PASS/FAIL per dialogue, exit 1 on a failure, clear errors for a broken file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { loadDialogues } from '../src/dialogue-tests/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-dialogues-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end('');
  // An in-memory database keeps no model cache on disk.
  const code = await runCli(args, { stdin, stdout, stderr, env: { SAPA_DB: ':memory:', LOG_LEVEL: 'silent' } });
  return { code, out, err };
}

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('sapa test-dialogues', () => {
  it('prints PASS per dialogue and exits 0; FAIL with the transcript and exits 1', async () => {
    const good = file(
      'good.yaml',
      `dialogues:\n  - name: fee\n    turns:\n      - user: berapa biaya paspor?\n        expect: { contains: Rp950.000, ticket: none }\n`,
    );
    const bad = file(
      'bad.yaml',
      `dialogues:\n  - name: wrong expectation\n    turns:\n      - user: berapa biaya paspor?\n        expect: { contains: Rp123 }\n` +
        `  - name: known defect\n    known_issue: reported to the NLU\n    turns:\n      - user: halo\n        expect: { outcome: faq }\n`,
    );
    const passed = await cli(['test-dialogues', good]);
    expect(passed.code).toBe(0);
    expect(passed.out).toMatch(/^PASS {2}fee/m);
    expect(passed.out).toContain('1 dialogues: 1 passed, 0 failed');
    const failed = await cli(['test-dialogues', bad]);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/^FAIL {2}wrong expectation/m);
    expect(failed.out).toContain('expected the replies to contain "Rp123"');
    expect(failed.out).toMatch(/> user: berapa biaya paspor\?/);
    expect(failed.out).toMatch(/^KNOWN {2}known defect/m);
    expect(failed.out).toContain('2 dialogues: 0 passed, 1 failed, 1 known issues');
  });

  it('--full prints whole replies in the transcript; --verbose alone prints excerpts', async () => {
    const long = file('long.yaml', `dialogues:\n  - name: register\n    turns:\n      - user: bagaimana cara daftar akun m-paspor?\n        expect: { outcome: faq }\n`);
    const excerpts = await cli(['test-dialogues', long, '--verbose']);
    const whole = await cli(['test-dialogues', long, '--verbose', '--full']);
    const replyLine = (out: string): string => out.split('\n').find((line) => line.startsWith('        < ')) ?? '';
    expect(replyLine(excerpts.out).length).toBeLessThanOrEqual('        < '.length + 240);
    expect(replyLine(excerpts.out).endsWith('…')).toBe(true);
    expect(replyLine(whole.out).length).toBeGreaterThan(replyLine(excerpts.out).length);
    expect(replyLine(whole.out).endsWith('…')).toBe(false);
  });

  it('names the file, the dialogue and the turn of a mistake in a dialogue file', async () => {
    const broken = file('broken.yaml', `dialogues:\n  - name: typo\n    turns:\n      - user: halo\n        expect: { ticket: maybe }\n`);
    expect(() => loadDialogues(broken)).toThrow(/broken\.yaml: dialogue "typo", turn 1, expect\.ticket: /);
    const result = await cli(['test-dialogues', broken]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/broken\.yaml: dialogue "typo", turn 1/);
  });
});
