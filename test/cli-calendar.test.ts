/**
 * `sapa calendar check`: the years covered, what is missing, the warning. Every moment is
 * given (--at or a fake clock) and the holiday data is written here, so the output does
 * not change with today's date or with later edits of data/holidays.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { calendarCheckCommand } from '../src/cli-calendar.js';
import { UsageError } from '../src/cli-errors.js';
import { runCli } from '../src/cli.js';
import { createFakeClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { repoPath } from '../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-cli-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

const OFFICIAL_2026 = {
  year: 2026,
  status: 'official',
  decree: 'SKB Menteri Agama Nomor 1497 Tahun 2025 (test)',
  holidays: [
    { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi', kind: 'holiday' },
    { date: '2026-12-24', name: 'Cuti bersama Hari Raya Natal', kind: 'cuti_bersama' },
    { date: '2026-12-25', name: 'Hari Raya Natal', kind: 'holiday' },
  ],
};

/** An sla.yaml (the shipped one) pointing at a holidays file with these contents; returns the env for the CLI. */
function setup(holidays: unknown): Record<string, string> {
  const n = ++counter;
  const holidaysFile = join(dir, `holidays-${n}.json`);
  writeFileSync(holidaysFile, typeof holidays === 'string' ? holidays : JSON.stringify(holidays));
  const slaFile = join(dir, `sla-${n}.yaml`);
  const shipped = readFileSync(repoPath('data', 'sla.yaml'), 'utf8');
  writeFileSync(slaFile, shipped.replace(/^holidays_file: .*$/m, `holidays_file: ${holidaysFile}`));
  return { SAPA_DB: join(dir, 'unused.db'), SAPA_SLA_FILE: slaFile, LOG_LEVEL: 'silent' };
}

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(args, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, out, err };
}

describe('sapa calendar check', () => {
  it('prints the years covered with status and decree, what is missing and the warning; exit 0', async () => {
    const env = setup({ years: [OFFICIAL_2026] });
    const { code, out, err } = await cli(['calendar', 'check', '--at', '2026-12-03T10:00:00+08:00'], env);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Checked at: 2026-12-03 10:00 (Asia/Makassar)');
    expect(out).toMatch(/Years covered:\n {2}2026 {2}official {5}2 holidays, 1 cuti bersama\n {8}decree: SKB Menteri Agama Nomor 1497 Tahun 2025 \(test\)\n/);
    expect(out).toContain(
      'Fixed-date national holidays, applied in every year: 1 Jan Tahun Baru Masehi, 1 May Hari Buruh Internasional, 1 Jun Hari Lahir Pancasila, 17 Aug Hari Kemerdekaan Republik Indonesia, 25 Dec Hari Raya Natal.',
    );
    expect(out).toContain('Missing (no official data):\n  2027  not in the file  SLA deadlines from 1 January 2027 skip only the fixed-date holidays (warning from 2026-11-01)');
    expect(out).toMatch(/\nWarning: no official holidays for 2027 in .*holidays-\d+\.json \(2027 is not in the file\)/);
    // What to add: the file, the fields, where the decree is published; no invented dates.
    expect(out).toContain('add each year to "years" in');
    expect(out).toContain('"status": "official"');
    expect(out).toContain('https://menpan.go.id');
    expect(out).toContain('"date": "2027-MM-DD"');
  });

  it('--at before 1 November: 2027 still missing, but no warning yet', async () => {
    const env = setup({ years: [OFFICIAL_2026] });
    const { code, out } = await cli(['calendar', 'check', '--at', '2026-10-31T23:59:00+08:00'], env);
    expect(code).toBe(0);
    expect(out).toContain('2027  not in the file');
    expect(out).toContain('\nWarning: none.\n');
  });

  it('shows a provisional year as such, and says nothing is missing when both years are official', async () => {
    const provisional = setup({ years: [OFFICIAL_2026, { year: 2027, status: 'provisional', holidays: [] }] });
    const p = await cli(['calendar', 'check', '--at', '2026-12-03T10:00:00+08:00'], provisional);
    expect(p.out).toContain('  2027  provisional  0 holidays, 0 cuti bersama\n        decree: (none yet)');
    expect(p.out).toContain('  2027  provisional      SLA deadlines from 1 January 2027 skip only the fixed-date holidays and the 0 provisional date(s) listed');
    expect(p.out).toContain('Warning: no official holidays for 2027');

    const official2027 = { ...OFFICIAL_2026, year: 2027, decree: 'SKB 2027 (test)', holidays: [{ date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'holiday' }] };
    const both = setup({ years: [OFFICIAL_2026, official2027] });
    const b = await cli(['calendar', 'check', '--at', '2026-12-03T10:00:00+08:00'], both);
    expect(b.out).toContain('Missing: nothing; 2026 and 2027 are official.');
    expect(b.out).toContain('Warning: none.');
    expect(b.out).not.toContain('What to add');
  });

  it('--json prints one object with the coverage fields', async () => {
    const env = setup({ years: [OFFICIAL_2026] });
    const { code, out } = await cli(['calendar', 'check', '--json', '--at', '2027-01-01T00:05:00+08:00'], env);
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(report).toMatchObject({
      at: '2026-12-31T16:05:00.000Z',
      localDate: '2027-01-01',
      timeZone: 'Asia/Makassar',
      years: [{ year: 2026, status: 'official', decree: 'SKB Menteri Agama Nomor 1497 Tahun 2025 (test)', holidays: 2, cutiBersama: 1 }],
      currentYear: { year: 2027, status: 'missing' },
      nextYear: { year: 2028, status: 'missing' },
      missing: [
        { year: 2027, status: 'missing' },
        { year: 2028, status: 'missing' },
      ],
      nextYearCheckFrom: '2027-11-01',
      warning: { code: 'HOLIDAYS_NOT_OFFICIAL', years: [2027] },
    });
    expect(report['fixedDateHolidays']).toHaveLength(5);
  });

  it('judges at the injected clock when --at is not given', () => {
    const env = setup({ years: [OFFICIAL_2026] });
    const config = loadConfig(env);
    const before = JSON.parse(calendarCheckCommand(config, { json: true }, createFakeClock('2026-10-31T15:59:00Z'))) as { warning: unknown };
    const after = JSON.parse(calendarCheckCommand(config, { json: true }, createFakeClock('2026-10-31T16:00:00Z'))) as { warning: unknown };
    expect(before.warning).toBeNull();
    expect(after.warning).not.toBeNull();
  });

  it('reads the shipped data/holidays.json', async () => {
    // Only the shape: what is missing depends on the file's later edits and the day it runs.
    const { code, out } = await cli(['calendar', 'check', '--json', '--at', '2026-06-01T10:00:00+08:00'], { SAPA_DB: join(dir, 'x.db'), LOG_LEVEL: 'silent' });
    expect(code).toBe(0);
    const report = JSON.parse(out) as { file: string; years: { year: number; status: string }[] };
    expect(report.file).toBe('data/holidays.json');
    expect(report.years).toContainEqual(expect.objectContaining({ year: 2026, status: 'official' }));
  });

  it('a broken holidays file is an error naming the file, the entry and the year (exit 1)', async () => {
    const env = setup({ years: [{ ...OFFICIAL_2026, holidays: [OFFICIAL_2026.holidays[0], { date: '2026-12-25', name: 'Natal', kind: 'libur' }] }] });
    const { code, out, err } = await cli(['calendar', 'check'], env);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(
      /^sapa: .*holidays-\d+\.json \(holidays_file in .*sla-\d+\.yaml\): years\[0\] \(2026\)\.holidays\[1\]\.kind must be "holiday" or "cuti_bersama", got "libur"\n$/,
    );
    const old = setup({ holidays: [{ date: '2026-12-25', name: 'Natal', kind: 'holiday' }] });
    expect((await cli(['calendar', 'check'], old)).err).toMatch(/the file has one "holidays" list for all years; since 2027 each year is its own entry/);
  });

  it('--help, unknown subcommands and a bad --at', async () => {
    const help = await cli(['calendar', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: sapa calendar check [--at ISO-TIME] [--json]');
    expect((await cli(['--help'], {})).out).toMatch(/calendar +holiday calendar/);
    const env = setup({ years: [OFFICIAL_2026] });
    const unknown = await cli(['calendar', 'list'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown calendar command "list"; try: sapa calendar check');
    const badAt = await cli(['calendar', 'check', '--at', '2026-11-01'], env);
    expect(badAt.code).toBe(2);
    expect(badAt.err).toContain('--at must be an ISO 8601 time with a zone');
    expect(() => calendarCheckCommand(loadConfig(env), { at: 'tomorrow', json: false })).toThrow(UsageError);
  });
});
