/**
 * SLA windows per origin (#21): LAPOR! reports run on the published LAPOR! handling times
 * (data/sla.yaml `origins.lapor`) in office days of the business calendar; other recorded
 * origins keep the priority windows; an answer given outside SAPA stops the response clock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskIntake, type RecordComplaintInput } from '../../src/desk-intake.js';
import { REPO_ROOT } from '../../src/paths.js';
import { loadSlaPolicy, SlaConfigError } from '../../src/sla/policy.js';
import { createSlaScanner } from '../../src/sla/scanner.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

const wita = (date: string, hhmm: string): Date => new Date(`${date}T${hhmm}:00+08:00`);

const open: TestCore[] = [];
afterEach(() => {
  for (const core of open.splice(0)) core.close();
});

function setup(start: Date) {
  const t = createTestCore({ start: start.toISOString() });
  open.push(t);
  const staffId = Number(t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES ('siti', 'staff', 0)").run().lastInsertRowid);
  const intake = createDeskIntake({ db: t.db, clock: t.clock, tickets: t.core.tickets });
  const record = (input: Partial<RecordComplaintInput> & Pick<RecordComplaintInput, 'origin'>) =>
    intake.record({ contact: { name: 'Pelapor' }, text: 'Keluhan pelayanan paspor.', ...input }, staffId).ticket;
  const scanner = createSlaScanner({ db: t.db, clock: t.clock, policy: testPolicy(), alerts: t.core.alerts, logger: pino({ level: 'silent' }), timeZone: 'Asia/Makassar' });
  return { t, staffId, record, scanner };
}

describe('data/sla.yaml: origins', () => {
  it('ships LAPOR! windows in office days: first response 3, resolution 5 (the published handling times)', () => {
    const policy = loadSlaPolicy({ file: 'data/sla.yaml', rootDir: REPO_ROOT });
    expect(policy.origins?.lapor).toMatchObject({
      firstResponse: { kind: 'office_days', days: 3 },
      resolution: { kind: 'office_days', days: 5 },
    });
    // Only LAPOR! has windows of its own; the counter, phone and letters use the priority's.
    expect(Object.keys(policy.origins ?? {})).toEqual(['lapor']);
  });

  it('refuses an unknown origin, naming the accepted ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapa-origins-'));
    try {
      writeFileSync(
        join(dir, 'sla.yaml'),
        [
          'business_hours: 24x7',
          `holidays_file: ${join(REPO_ROOT, 'data/holidays.json')}`,
          'policies:',
          '  normal: {first_response: 2h, next_response: 4h, resolution: 5d, warn_at: 0.75}',
          '  high: {first_response: 30m, next_response: 1h, resolution: 2d, warn_at: 0.75}',
          'origins:',
          '  fax: {first_response: 2h, next_response: 4h, resolution: 5d, warn_at: 0.75}',
          'supervisor_after_breach: 1h',
        ].join('\n'),
      );
      let error: unknown;
      try {
        loadSlaPolicy({ file: 'sla.yaml', rootDir: dir });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SlaConfigError);
      expect((error as SlaConfigError).problems).toEqual(['sla.yaml: origins has unknown key "fax"; accepted keys: desk, phone, letter, lapor, email, other']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('per-origin SLA in business time', () => {
  it('a LAPOR! report received on a Friday afternoon is due in office days, over the weekend; a phone complaint keeps the 2 h window', () => {
    // Friday 4 December 2026, 15:00 WITA.
    const { record } = setup(wita('2026-12-04', '15:00'));
    const lapor = record({ origin: 'lapor', laporTrackingId: 'LAPOR-1' });
    // 3 office days: Monday 7, Tuesday 8, Wednesday 9 December, same time of day.
    expect(lapor.firstResponseDueAt?.toISOString()).toBe(wita('2026-12-09', '15:00').toISOString());
    // 5 office days: Friday 11 December.
    expect(lapor.resolutionDueAt?.toISOString()).toBe(wita('2026-12-11', '15:00').toISOString());
    // High priority does not shorten a LAPOR! report's windows: they are LAPOR!'s own.
    const laporHigh = record({ origin: 'lapor', priority: 'high' });
    expect(laporHigh.firstResponseDueAt?.toISOString()).toBe(wita('2026-12-09', '15:00').toISOString());
    // Phone: the normal 2 h of business time, the last office hour of Friday and the first of Monday.
    const phone = record({ origin: 'phone' });
    expect(phone.firstResponseDueAt?.toISOString()).toBe(wita('2026-12-07', '09:00').toISOString());
    const phoneHigh = record({ origin: 'phone', priority: 'high' });
    expect(phoneHigh.firstResponseDueAt?.toISOString()).toBe(wita('2026-12-04', '15:30').toISOString());
  });

  it('a LAPOR! report dated back (receivedAt) runs from when it reached the office, skipping the holidays of the calendar', () => {
    // Thursday 24 December 2026 (cuti bersama) 10:00; the report arrived Wednesday 23 December at 10:00.
    const { t, record } = setup(wita('2026-12-24', '10:00'));
    const lapor = record({ origin: 'lapor', receivedAt: wita('2026-12-23', '10:00') });
    expect(lapor.createdAt.toISOString()).toBe(wita('2026-12-23', '10:00').toISOString());
    // Office days after Wed 23: Thu 24 (cuti bersama) and Fri 25 (Christmas) closed, Mon 28, Tue 29, Wed 30.
    expect(lapor.firstResponseDueAt?.toISOString()).toBe(wita('2026-12-30', '10:00').toISOString());
    expect(t.clock.now().toISOString()).toBe(wita('2026-12-24', '10:00').toISOString());
  });
});

describe('answered outside SAPA stops the clock', () => {
  it('an answer recorded as a phone call stops the first response: no breach, while the unanswered twin breaches', () => {
    // Monday 30 November 2026, 09:00 WITA.
    const { t, staffId, record, scanner } = setup(wita('2026-11-30', '09:00'));
    const answered = record({ origin: 'phone', contact: { name: 'A', phone: '081200000001' } });
    const waiting = record({ origin: 'phone', contact: { name: 'B', phone: '081200000002' } });
    t.clock.set(wita('2026-11-30', '10:30'));
    const after = t.core.tickets.answerOutside(answered.id, staffId, 'Sudah kami telepon dan jelaskan.', 'phone');
    expect(after.ticket.firstResponseAt?.toISOString()).toBe(wita('2026-11-30', '10:30').toISOString());
    // Nothing queued: the contact has no channel.
    expect(t.db.prepare("SELECT count(*) AS n FROM messages WHERE delivery_status IS NOT NULL").get()).toEqual({ n: 0 });
    // 11:30: both first-response windows (2 h from 09:00) have run out.
    const report = scanner.scan(wita('2026-11-30', '11:30'));
    const breaches = report.fired.filter((f) => f.level === 'breach').map((f) => [f.ticketId, f.timer]);
    expect(breaches).toEqual([[waiting.id, 'first_response']]);
    // The answered ticket's resolution clock still runs (5 office days).
    expect(t.core.tickets.get(answered.id).resolutionDueAt?.toISOString()).toBe(wita('2026-12-07', '09:00').toISOString());
  });
});
