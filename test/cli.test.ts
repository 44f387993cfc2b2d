import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { REPO_ROOT } from '../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], input = '', env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  stdin.end(input);
  const code = await runCli(args, { stdin, stdout, stderr, env: { SAPA_DB: join(dir, 'cli.db'), ...env } });
  return { code, out, err };
}

describe('sapa CLI', () => {
  it('prints help for the program and each command', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['start', 'chat', 'classify', 'eval', 'tickets', 'migrate']) expect(main.out).toContain(command);
    const classify = await cli(['classify', '--help']);
    expect(classify.out).toContain('Usage: sapa classify');
  });

  it('rejects unknown commands and options with usage and exit code 2', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    const bad = await cli(['tickets', 'list', '--colour']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Usage: sapa tickets list/);
  });

  it('classify prints one JSON object per input line: intent, confidence, complaint, candidates, secondIntent', async () => {
    const { code, out } = await cli(['classify'], 'berapa biaya paspor\npetugasnya kasar sekali, saya kecewa\n\nberapa biaya paspor 10 tahun dan berapa lama jadinya?\n');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['candidates', 'complaint', 'confidence', 'intent', 'secondIntent']);
      expect(line['confidence']).toBeGreaterThanOrEqual(0);
      expect(line['confidence']).toBeLessThanOrEqual(1);
      const candidates = line['candidates'] as { intent: string; confidence: number }[];
      expect(candidates.length).toBeLessThanOrEqual(3);
      expect(candidates[0]?.intent).toBe(line['intent']);
    }
    expect(lines[0]).toMatchObject({ intent: 'fees', complaint: false, secondIntent: null });
    expect(lines[1]).toMatchObject({ complaint: true });
    expect(lines[3]).toMatchObject({ intent: 'fees', secondIntent: 'processing_time' });
  });

  it('classify takes messages as arguments too, one JSON line each, ignoring stdin', async () => {
    const { code, out } = await cli(['classify', 'berapa biaya paspor', 'syarat paspor anak'], 'halo\n');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['intent'])).toEqual(['fees', 'requirements_child']);
  });

  it('eval reports accuracy on a labelled file', async () => {
    const file = join(dir, 'mini.tsv');
    writeFileSync(file, 'intent\tcomplaint\ttext\nfees\tfalse\tbiaya paspor 10 tahun berapa\ngreeting\tfalse\tselamat pagi admin\n');
    const { code, out } = await cli(['eval', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/accuracy/i);
    const json = await cli(['eval', file, '--json']);
    expect(JSON.parse(json.out)).toHaveProperty('accuracy');
    expect((await cli(['eval'])).code).toBe(2);
  });

  it('migrate creates the schema; tickets list shows tickets', async () => {
    const migrate = await cli(['migrate']);
    expect(migrate.code).toBe(0);
    expect(migrate.out).toMatch(/applied migrations 1|schema is up to date/);
    const empty = await cli(['tickets', 'list']);
    expect(empty.out).toMatch(/no tickets/);
    const json = await cli(['tickets', 'list', '--json', '--status', 'open']);
    expect(JSON.parse(json.out)).toEqual({ tickets: [] });
    const bad = await cli(['tickets', 'list', '--status', 'lost']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--status accepts open, pending, resolved, closed; got "lost"/);
  });

  it('reports a configuration error by variable name', async () => {
    const { code, err } = await cli(['migrate'], '', { PORT: 'eighty' });
    expect(code).toBe(1);
    expect(err).toBe('sapa: configuration error: PORT: must be a whole number from 0 to 65535, got "eighty"\n');
  });

  it('works as the installed `sapa` command (bin/sapa.js on the built program)', () => {
    const out = execFileSync(process.execPath, [join(REPO_ROOT, 'bin', 'sapa.js'), 'classify'], {
      cwd: REPO_ROOT,
      input: 'syarat paspor anak\n',
      env: { ...process.env, SAPA_DB: join(dir, 'bin.db') },
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim())).toMatchObject({ intent: 'requirements_child' });
    const help = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'sapa.js')], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(help.status).toBe(2);
    expect(help.stdout).toContain('Usage: sapa <command>');
  });

  it('exits quietly when the reader stops early (`sapa classify ... | head -1`)', () => {
    // Many lines of output into a pipe whose reader quits after the first: EPIPE must not crash it.
    const result = spawnSync('sh', ['-c', `yes "berapa biaya paspor" | head -2000 | "${process.execPath}" "${join(REPO_ROOT, 'bin', 'sapa.js')}" classify | head -1`], {
      cwd: REPO_ROOT,
      env: { ...process.env, SAPA_DB: join(dir, 'pipe.db') },
      encoding: 'utf8',
    });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});

describe('sapa staff', () => {
  it('adds, lists, links, changes passwords and disables accounts', async () => {
    const env = { SAPA_DB: join(dir, 'staff.db') };
    const add = await cli(['staff', 'add', 'ani', '--role', 'supervisor', '--password-stdin'], 'rahasia-sekali-123\n', env);
    expect(add).toMatchObject({ code: 0, out: 'added ani (supervisor)\n' });
    expect((await cli(['staff', 'add', 'ani', '--password-stdin'], 'rahasia-sekali-123\n', env)).err).toMatch(/already exists/);
    const weak = await cli(['staff', 'add', 'budi', '--password-stdin'], 'short\n', env);
    expect(weak.code).toBe(2);
    expect(weak.err).toMatch(/at least 10 characters/);
    expect((await cli(['staff', 'add', 'budi', '--role', 'boss', '--password-stdin'], 'rahasia-sekali-123\n', env)).err).toMatch(/--role must be one of staff, supervisor, admin/);
    expect((await cli(['staff', 'add', 'budi'], '', env)).err).toMatch(/--password-stdin/);
    expect((await cli(['staff', 'link-telegram', 'ani', '123456789'], '', env)).out).toBe('linked ani (supervisor, telegram:123456789)\n');
    expect((await cli(['staff', 'link-whatsapp', 'ani', '0812-3456-7890'], '', env)).out).toBe('linked ani (supervisor, telegram:123456789, whatsapp:6281234567890)\n');
    expect((await cli(['staff', 'link-whatsapp', 'ani', 'abc'], '', env)).code).toBe(2);
    expect((await cli(['staff', 'passwd', 'ani', '--password-stdin'], 'kata-sandi-baru-456\n', env)).code).toBe(0);
    expect((await cli(['staff', 'disable', 'ani'], '', env)).out).toMatch(/disabled ani \(supervisor, disabled/);
    expect((await cli(['staff', 'list'], '', env)).out).toMatch(/^ani \(supervisor, disabled/);
    expect((await cli(['staff', 'disable', 'nobody'], '', env)).err).toMatch(/no staff account "nobody"/);
  });
});
