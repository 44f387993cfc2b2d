import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-errors.js';
import { parseScanTime, slaScanCommand } from '../src/cli-sla.js';
import { loadConfig } from '../src/config.js';
import { repoPath } from '../src/paths.js';
import { openDatabase } from '../src/store/db.js';
import { createTestCore } from './helpers/core.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-cli-sla-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** A database with one normal complaint opened Monday 30 November 2026, 09:00 WITA. */
async function databaseWithComplaint(): Promise<string> {
  const path = join(dir, `scan-${++counter}.db`);
  const t = createTestCore({ db: openDatabase(path), start: '2026-11-30T09:00:00+08:00' });
  await t.say('antrian sangat lama, petugas tidak peduli, kecewa');
  t.close();
  return path;
}

function configFor(dbPath: string) {
  return loadConfig({
    SAPA_DB: dbPath,
    SAPA_SLA_FILE: repoPath('data', 'sla.yaml'),
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    TELEGRAM_STAFF_CHAT_ID: '-100777',
    TELEGRAM_SUPERVISOR_CHAT_IDS: '555',
  });
}

interface Report {
  at: string;
  dryRun: boolean;
  examined: number;
  fired: { ticketId: number; ref: string; timer: string; level: string; dueAt: string }[];
  nextCheckAt: string | null;
}

const run = async (dbPath: string, at: string, dryRun = false): Promise<Report> => {
  const out = await slaScanCommand(configFor(dbPath), { at, dryRun });
  expect(out.endsWith('\n')).toBe(true);
  expect(out.trim().split('\n')).toHaveLength(1);
  return JSON.parse(out) as Report;
};

function countRows(dbPath: string, sql: string): number {
  const db = openDatabase(dbPath);
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('sapa sla scan', () => {
  it('--dry-run prints what is due at --at and performs nothing', async () => {
    const path = await databaseWithComplaint();
    const report = await run(path, '2026-11-30T11:00:00+08:00', true);
    expect(report).toEqual({
      at: '2026-11-30T03:00:00.000Z',
      dryRun: true,
      examined: 1,
      fired: [
        { ticketId: 1, ref: '#1', timer: 'first_response', level: 'warning', dueAt: '2026-11-30T02:30:00.000Z' },
        { ticketId: 1, ref: '#1', timer: 'first_response', level: 'breach', dueAt: '2026-11-30T03:00:00.000Z' },
      ],
      nextCheckAt: '2026-11-30T04:00:00.000Z', // as if performed: the supervisor level comes next
    });
    expect(countRows(path, 'SELECT COUNT(*) AS n FROM sla_escalations')).toBe(0);
    expect(countRows(path, "SELECT COUNT(*) AS n FROM staff_alerts WHERE kind LIKE 'sla_%'")).toBe(0);
  });

  it('performs the escalations once and queues them for the configured staff chats', async () => {
    const path = await databaseWithComplaint();
    const first = await run(path, '2026-11-30T03:00:00Z');
    expect(first.fired.map((f) => f.level)).toEqual(['warning', 'breach']);
    expect(first.nextCheckAt).toBe('2026-11-30T04:00:00.000Z'); // supervisor level
    expect((await run(path, '2026-11-30T03:00:00Z')).fired).toEqual([]);
    const queued = countRows(
      path,
      `SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
       JOIN staff_alerts s ON s.id = m.alert_id WHERE c.external_id = '-100777' AND s.kind LIKE 'sla_%'`,
    );
    expect(queued).toBe(2);
    const supervisor = await run(path, '2026-11-30T12:00:00+08:00');
    expect(supervisor.fired).toEqual([expect.objectContaining({ level: 'supervisor', ref: '#1' })]);
    expect(countRows(path, "SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = '555'")).toBe(1);
  });

  it('rejects an --at that is not an ISO time with a zone, naming the format', async () => {
    const path = join(dir, 'untouched.db');
    for (const bad of ['tomorrow', '2026-11-30 11:00', '2026-11-30T11:00', '2026-13-40T11:00:00Z']) {
      await expect(slaScanCommand(configFor(path), { at: bad, dryRun: true })).rejects.toThrow(UsageError);
    }
    await expect(slaScanCommand(configFor(path), { at: 'tomorrow', dryRun: true })).rejects.toThrow(
      /--at must be an ISO 8601 time with a zone, e\.g\. 2026-12-01T10:00:00\+08:00/,
    );
    expect(parseScanTime('2026-12-01T10:00+08:00').toISOString()).toBe('2026-12-01T02:00:00.000Z');
    expect(parseScanTime('2026-12-01T02:00:00.5Z').toISOString()).toBe('2026-12-01T02:00:00.500Z');
  });
});
