/**
 * The digest chart and numbers as supervisors read them (#18 part C): `sapa digest --png FILE`
 * writes the PNG they receive; the legend sits clear of the plot (no marker under it), each
 * grid's two y-axes are named on their own side, numbers use the Indonesian comma everywhere
 * ("6,6", "7 mnt"), no "P90" jargon, SERVQUAL dimensions in Indonesian, the day's integrity
 * reports called out.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestCommand } from '../../src/cli-digest.js';
import { createFakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { buildDigest, digestChartOption, renderDigestText, type Digest } from '../../src/digest/index.js';
import { openDatabase } from '../../src/store/db.js';
import { testPolicy } from '../helpers/core.js';
import { createTestCore } from '../helpers/core.js';
import { buildFixture, TZ, wita } from './fixture.js';

let dir: string;
let env: Record<string, string>;
let digest: Digest;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sapa-digest-png-'));
  const path = join(dir, 'sapa.db');
  const f = await buildFixture({ db: openDatabase(path) });
  digest = buildDigest(f.db, { date: '2026-11-27', calendar: testPolicy().calendar, timeZone: TZ, now: new Date(wita(30, '12:00')) });
  f.t.close();
  env = { SAPA_DB: path, LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sapa digest --png FILE', () => {
  it('writes the chart PNG (800 x 720) and says where', async () => {
    const file = join(dir, 'ringkasan.png');
    const out = await digestCommand(loadConfig(env), { date: '2026-11-27', json: false, send: false, png: file }, createFakeClock(wita(30, '12:00')));
    expect(out).toContain(`chart written to ${file}`);
    const png = readFileSync(file);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(800);
    expect(png.readUInt32BE(20)).toBe(720);
    mkdirSync('test-artifacts', { recursive: true });
    copyFileSync(file, join('test-artifacts', 'digest-chart-2026-11-27.png'));
  });

  it('with --json stdout stays one JSON object', async () => {
    const file = join(dir, 'again.png');
    const out = await digestCommand(loadConfig(env), { date: '2026-11-27', json: true, send: false, png: file }, createFakeClock(wita(30, '12:00')));
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
  });
});

describe('the chart reads cleanly', () => {
  it('puts the legend between the title and the plot, and each grid has at most one y-axis per side', () => {
    const option = digestChartOption(digest) as {
      title: { top: number }[];
      legend: { top: number; itemGap: number; data: string[] }[];
      grid: { top: number }[];
      yAxis: { gridIndex: number; position?: string; alignTicks?: boolean }[];
      series: { name: string; label?: { formatter?: (p: { value: unknown }) => string } }[];
    };
    for (const legend of option.legend) {
      const gridBelow = option.grid.find((g) => g.top > legend.top)!;
      const titleAbove = [...option.title].reverse().find((tt) => tt.top < legend.top)!;
      // A legend row is about 20 px tall: clear of the title above and of the plot (and its markers) below.
      expect(legend.top - titleAbove.top).toBeGreaterThanOrEqual(22);
      expect(gridBelow.top - legend.top).toBeGreaterThanOrEqual(40);
      expect(legend.itemGap).toBeGreaterThanOrEqual(30);
    }
    option.grid.forEach((_, gridIndex) => {
      const sides = option.yAxis.filter((a) => a.gridIndex === gridIndex).map((a) => a.position ?? 'left');
      expect(new Set(sides).size).toBe(sides.length);
    });
    // The right-hand count axis shares the grid lines of the minutes axis.
    expect(option.yAxis.filter((a) => a.position === 'right').every((a) => a.alignTicks === true)).toBe(true);
    expect(option.legend.flatMap((l) => l.data)).not.toContain('P90');
    expect(option.series[0]!.label!.formatter!({ value: 6.6 })).toBe('6,6');
  });
});

describe('numbers and words in the text', () => {
  it('uses the Indonesian comma and "mnt" everywhere, no P90 or English SERVQUAL names', () => {
    const text = renderDigestText({
      ...digest,
      firstResponse: { ...digest.firstResponse, medianMinutes: 6.6, p90Minutes: 7 },
    });
    expect(text).toContain('separuh dijawab dalam 6,6 mnt · 9 dari 10 dijawab dalam 7 mnt');
    expect(text).not.toMatch(/\d\.\d/);
    expect(text).not.toMatch(/P90|SERVQUAL|Reliability|Tangibles/);
  });

  it('calls out the day\'s integrity reports near the top, with who holds them', async () => {
    const t = createTestCore({ start: '2026-11-30T01:00:00Z' });
    try {
      await t.say('ada calo di depan kantor minta uang 2 juta supaya paspor cepat jadi', { from: 'pelapor' });
      const row = t.db.prepare<[], { id: number; integrity: number }>('SELECT id, integrity FROM tickets').get();
      expect(row?.integrity).toBe(1);
      const d = buildDigest(t.db, { date: '2026-11-30', calendar: testPolicy().calendar, timeZone: TZ, now: new Date('2026-11-30T08:00:00Z') });
      expect(d.integrity).toEqual([{ ref: `#${row!.id}`, status: 'open', holder: null, reportedAt: '2026-11-30T01:00:00.000Z' }]);
      const lines = renderDigestText(d).split('\n');
      const at = lines.indexOf('🚨 Laporan integritas (calo, pungli, penipuan): 1');
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(8);
      expect(lines[at + 1]).toBe(`• #${row!.id} · terbuka · belum diambil`);
      // A day without one says nothing about it.
      const before = buildDigest(t.db, { date: '2026-11-29', calendar: testPolicy().calendar, timeZone: TZ, now: new Date('2026-11-30T08:00:00Z') });
      expect(renderDigestText(before)).not.toContain('Laporan integritas');
    } finally {
      t.close();
    }
  });
});
