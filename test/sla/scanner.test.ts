/**
 * Scanner mechanics: the index, exactly-once across restarts, overlapping scanners and
 * clock jumps, dry runs, and the cron schedule with its error boundary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createSlaScanner, explainDueSelection, SlaScheduleError, type SlaScanner } from '../../src/sla/scanner.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

const STAFF_GROUP = '-100777';
const SUPERVISOR = '555';
const targets = [
  { channel: 'telegram', externalId: STAFF_GROUP, audience: 'staff' },
  { channel: 'telegram', externalId: SUPERVISOR, audience: 'supervisor' },
] as const;

const wita = (day: number, hhmm: string): Date => new Date(`2026-${day >= 30 ? '11' : '12'}-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);
const silent = pino({ level: 'silent' });

const dir = mkdtempSync(join(tmpdir(), 'sapa-sla-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const tempDbPath = (): string => join(dir, `sla-${++fileCounter}.db`);

const open: TestCore[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const core of open.splice(0)) core.close();
});

function core(options: { db?: Db } = {}): TestCore {
  const t = createTestCore({ alertTargets: targets, start: wita(30, '09:00').toISOString(), ...options });
  open.push(t);
  return t;
}

function scannerFor(t: TestCore, logger: Logger = silent, cron?: string): SlaScanner {
  return createSlaScanner({
    db: t.db,
    clock: t.clock,
    policy: testPolicy(),
    alerts: t.core.alerts,
    logger,
    timeZone: 'Asia/Makassar',
    ...(cron === undefined ? {} : { cron }),
  });
}

async function complaint(t: TestCore, from = 'applicant-1'): Promise<number> {
  await t.say('antrian sangat lama, petugas tidak peduli, kecewa', { from });
  return (t.db.prepare('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get() as { id: number }).id;
}

const fired = (s: SlaScanner, at: Date): string[] => s.scan(at).fired.map((f) => `${f.ref} ${f.timer}/${f.level}`);
const alertKinds = (db: Db): string[] =>
  (db.prepare("SELECT kind FROM staff_alerts WHERE kind LIKE 'sla_%' ORDER BY id").all() as { kind: string }[]).map((r) => r.kind);

function snapshot(db: Db): unknown {
  return {
    tickets: db.prepare('SELECT * FROM tickets ORDER BY id').all(),
    escalations: db.prepare('SELECT * FROM sla_escalations ORDER BY id').all(),
    alerts: db.prepare('SELECT * FROM staff_alerts ORDER BY id').all(),
    outbox: db.prepare('SELECT * FROM outbox ORDER BY id').all(),
  };
}

describe('SLA scanner: selection', () => {
  it('finds due tickets through the tickets_sla_check index', () => {
    const t = core();
    const plan = explainDueSelection(t.db).join('\n');
    expect(plan).toContain('tickets_sla_check');
    expect(plan).not.toMatch(/SCAN tickets\b/);
    // MIN over the same partial index for the report's nextCheckAt.
    const next = t.db.prepare('EXPLAIN QUERY PLAN SELECT MIN(next_sla_check_at) FROM tickets WHERE next_sla_check_at IS NOT NULL AND next_sla_check_at > 0').all();
    expect(JSON.stringify(next)).toContain('tickets_sla_check');
  });

  it('examines only the tickets that are due, however many there are', async () => {
    const t = core();
    await complaint(t);
    const first = t.core.tickets.get(1);
    // 300 more tickets opened later in the week: none of them is due on Monday.
    t.clock.set(wita(3, '09:00'));
    for (let i = 0; i < 300; i++) {
      t.core.tickets.open({
        contactId: first.contactId,
        conversationId: first.conversationId,
        channel: 'telegram',
        kind: 'complaint',
        priority: 'normal',
        integrity: false,
        intent: 'complaint',
        servqual: 'responsiveness',
        summary: `keluhan ${i}`,
        messageId: null,
      });
    }
    const report = scannerFor(t).scan(wita(30, '11:00'));
    expect(report.examined).toBe(1);
    expect(report.fired.map((f) => f.level)).toEqual(['warning', 'breach']);
    expect(report.nextCheckAt?.toISOString()).toBe(wita(30, '12:00').toISOString());
  });
});

describe('SLA scanner: exactly once', () => {
  it('fires each level once across a restart on the same database file', async () => {
    const path = tempDbPath();
    const before = core({ db: openDatabase(path) });
    await complaint(before);
    expect(fired(scannerFor(before), wita(30, '11:00'))).toEqual(['#1 first_response/warning', '#1 first_response/breach']);
    before.close();
    open.splice(open.indexOf(before), 1);

    // A new process: new connection, core and scanner; the scan repeats at the same moment.
    const after = core({ db: openDatabase(path) });
    const scanner = scannerFor(after);
    expect(fired(scanner, wita(30, '11:00'))).toEqual([]);
    expect(fired(scanner, wita(30, '12:00'))).toEqual(['#1 first_response/supervisor']);
    expect(fired(scanner, wita(30, '12:00'))).toEqual([]);
    expect(alertKinds(after.db)).toEqual(['sla_warning', 'sla_breach', 'sla_supervisor']);
  });

  it('fires each level once when two scanners share the database', async () => {
    const path = tempDbPath();
    const a = core({ db: openDatabase(path) });
    await complaint(a);
    const b = core({ db: openDatabase(path) });
    const scanA = scannerFor(a);
    const scanB = scannerFor(b);
    // Interleaved at the same moments, as a cron tick and `sapa sla scan` would.
    const all = [
      ...fired(scanA, wita(30, '10:30')),
      ...fired(scanB, wita(30, '10:30')),
      ...fired(scanB, wita(30, '11:00')),
      ...fired(scanA, wita(30, '11:00')),
      ...fired(scanA, wita(30, '12:00')),
      ...fired(scanB, wita(30, '12:00')),
    ];
    expect(all).toEqual(['#1 first_response/warning', '#1 first_response/breach', '#1 first_response/supervisor']);
    expect(alertKinds(a.db)).toEqual(['sla_warning', 'sla_breach', 'sla_supervisor']);
    // Exactly one staff-group post per level reached the outbox.
    const queued = a.db.prepare("SELECT COUNT(*) AS n FROM messages m JOIN staff_alerts s ON s.id = m.alert_id WHERE s.kind LIKE 'sla_%'").get();
    expect(queued).toEqual({ n: 3 });
  });

  it('a second ticket change does not repeat escalations already sent', async () => {
    const t = core();
    const id = await complaint(t);
    const scanner = scannerFor(t);
    expect(fired(scanner, wita(30, '11:00'))).toHaveLength(2);
    // Any change replans and makes the ticket due again (its moments are in the past)...
    t.clock.set(wita(30, '11:10'));
    t.core.tickets.addNote(id, null, 'cek loket 3');
    // ...but a recomputation finds them recorded.
    expect(fired(scanner, wita(30, '11:10'))).toEqual([]);
    expect(fired(scanner, wita(30, '12:00'))).toEqual(['#1 first_response/supervisor']);
  });
});

describe('SLA scanner: clock jumps', () => {
  it('a forward jump fires every missed level once, in order', async () => {
    const t = core();
    await complaint(t);
    const scanner = scannerFor(t);
    const report = scanner.scan(wita(30, '13:00'));
    expect(report.fired.map((f) => [f.level, f.dueAt.toISOString()])).toEqual([
      ['warning', wita(30, '10:30').toISOString()],
      ['breach', wita(30, '11:00').toISOString()],
      ['supervisor', wita(30, '12:00').toISOString()],
    ]);
    expect(fired(scanner, wita(30, '13:00'))).toEqual([]);
    await t.settle();
    expect(t.channel.textsTo(STAFF_GROUP).filter((x) => !x.startsWith('🆕'))).toHaveLength(2);
    expect(t.channel.textsTo(SUPERVISOR)).toHaveLength(1);
    expect(t.core.tickets.get(1).escalationLevel).toBe(2);
  });

  it('a backward jump fires nothing new, and nothing twice when time catches up', async () => {
    const t = core();
    await complaint(t);
    const scanner = scannerFor(t);
    expect(fired(scanner, wita(30, '11:05'))).toHaveLength(2);
    expect(fired(scanner, wita(30, '10:00'))).toEqual([]);
    expect(fired(scanner, wita(30, '11:30'))).toEqual([]);
    expect(fired(scanner, wita(30, '12:00'))).toEqual(['#1 first_response/supervisor']);
  });

  it('after a backward jump, a reply recorded "later" still stops its timer', async () => {
    const t = core();
    const id = await complaint(t);
    t.clock.set(wita(30, '10:59'));
    t.core.tickets.staffReply(id, null, 'Kami cek sekarang.');
    // The clock steps back past the warning moment; the reply is still a fact.
    t.clock.set(wita(30, '10:45'));
    expect(fired(scannerFor(t), wita(30, '10:45'))).toEqual([]);
    expect(fired(scannerFor(t), wita(30, '12:00'))).toEqual([]);
  });
});

describe('SLA scanner: dry run', () => {
  it('reports what is due and changes nothing', async () => {
    const t = core();
    await complaint(t);
    await t.settle();
    const before = snapshot(t.db);
    const report = scannerFor(t).scan(wita(30, '12:00'), { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, examined: 1 });
    expect(report.fired.map((f) => f.level)).toEqual(['warning', 'breach', 'supervisor']);
    expect(report.nextCheckAt?.toISOString()).toBe(wita(3, '15:00').toISOString()); // resolution warning
    expect(snapshot(t.db)).toEqual(before);
    // The real scan afterwards still fires everything.
    expect(fired(scannerFor(t), wita(30, '12:00'))).toHaveLength(3);
  });
});

describe('SLA scanner: schedule', () => {
  it('runs on the cron expression (seconds field allowed) and stops', async () => {
    const t = core();
    await complaint(t);
    t.clock.set(wita(30, '10:30'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const scanner = scannerFor(t, silent, '*/10 * * * * *');
    scanner.start();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(alertKinds(t.db)).toEqual(['sla_warning']);
    await scanner.stop();
    t.clock.set(wita(30, '11:00'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(alertKinds(t.db)).toEqual(['sla_warning']);
  });

  it('logs a failed tick and keeps going', async () => {
    const t = core();
    await complaint(t);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const scanner = scannerFor(t, pino({ level: 'info' }, sink));
    t.db.exec('DROP TABLE sla_escalations'); // something breaks under the scanner
    t.clock.set(wita(30, '11:00'));
    expect(() => scanner.tick()).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('')).toMatch(/"level":50.*SLA scan failed/);
  });

  it('refuses an invalid SLA_SCAN_CRON with a clear error', () => {
    const t = core();
    expect(() => scannerFor(t, silent, 'every minute').start()).toThrow(SlaScheduleError);
    expect(() => scannerFor(t, silent, '61 * * * *').start()).toThrow(/SLA_SCAN_CRON "61 \* \* \* \*"/);
  });
});
