import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, type BusinessHours } from '../../src/sla/calendar.js';
import { parseDuration } from '../../src/sla/duration.js';
import { loadHolidayData, loadHolidays, type SlaPolicy } from '../../src/sla/policy.js';
import { computeSlaTimers, type TicketSlaFacts } from '../../src/sla/timers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const holidays2026 = loadHolidays('data/holidays.json', repoRoot);

const HOUR = 3_600_000;
const wita = (text: string): Date => new Date(`${text.replace(' ', 'T')}:00+08:00`);

const OFFICE: BusinessHours = {
  mon: { openMinute: 480, closeMinute: 960 },
  tue: { openMinute: 480, closeMinute: 960 },
  wed: { openMinute: 480, closeMinute: 960 },
  thu: { openMinute: 480, closeMinute: 960 },
  fri: { openMinute: 480, closeMinute: 960 },
  sat: null,
  sun: null,
};

/** The issue 7 defaults, built directly so these tests do not depend on file loading. */
function makePolicy(options: { hours?: BusinessHours; cutiBersamaClosed?: boolean } = {}): SlaPolicy {
  return {
    holidays: loadHolidayData('data/holidays.json', repoRoot),
    hours: options.hours ?? OFFICE,
    hoursConfirmed: true,
    cutiBersamaClosed: options.cutiBersamaClosed ?? true,
    calendar: createBusinessCalendar({
      hours: options.hours ?? OFFICE,
      holidays: holidays2026,
      timeZone: 'Asia/Makassar',
      cutiBersamaClosed: options.cutiBersamaClosed ?? true,
    }),
    policies: {
      normal: {
        firstResponse: parseDuration('2h'),
        nextResponse: parseDuration('4h'),
        resolution: parseDuration('5d'),
        warnAt: 0.75,
      },
      high: {
        firstResponse: parseDuration('30m'),
        nextResponse: parseDuration('1h'),
        resolution: parseDuration('2d'),
        warnAt: 0.75,
      },
    },
    supervisorAfterBreachMs: HOUR,
  };
}

const policy = makePolicy();
const compute = (facts: TicketSlaFacts, now: string) => computeSlaTimers(policy, facts, wita(now));

describe('first response', () => {
  const fridayTicket: TicketSlaFacts = { priority: 'normal', openedAt: wita('2026-11-27 15:30') };

  it('runs over the weekend: warn Monday 09:00, due 09:30, supervisor 10:30', () => {
    const state = compute(fridayTicket, '2026-11-27 15:45');
    expect(state.firstResponse).toEqual({
      timer: 'first_response',
      status: 'running',
      startAt: wita('2026-11-27 15:30'),
      windowMs: 2 * HOUR,
      elapsedMs: 0.25 * HOUR,
      warnAt: wita('2026-11-30 09:00'),
      dueAt: wita('2026-11-30 09:30'),
      supervisorAt: wita('2026-11-30 10:30'),
      stoppedAt: null,
      breachedAt: null,
    });
    expect(state.nextResponse).toBeNull();
    expect(state.dueEvents).toEqual([]);
    expect(state.nextDueAt).toEqual(wita('2026-11-30 09:00'));
  });

  it('does not move while the office is closed', () => {
    const state = compute(fridayTicket, '2026-11-29 20:00');
    expect(state.firstResponse.status).toBe('running');
    expect(state.firstResponse.elapsedMs).toBe(0.5 * HOUR);
    expect(state.nextDueAt).toEqual(wita('2026-11-30 09:00'));
  });

  it('emits the warning, then the breach, then the supervisor level', () => {
    const afterWarning = compute(fridayTicket, '2026-11-30 09:10');
    expect(afterWarning.dueEvents).toEqual([{ timer: 'first_response', level: 'warning', at: wita('2026-11-30 09:00') }]);
    expect(afterWarning.nextDueAt).toEqual(wita('2026-11-30 09:30'));

    const afterBreach = compute(fridayTicket, '2026-11-30 09:45');
    expect(afterBreach.firstResponse.status).toBe('breached');
    expect(afterBreach.firstResponse.breachedAt).toEqual(wita('2026-11-30 09:30'));
    expect(afterBreach.dueEvents.map((event) => event.level)).toEqual(['warning', 'breach']);
    expect(afterBreach.nextDueAt).toEqual(wita('2026-11-30 10:30'));

    const afterSupervisor = compute(fridayTicket, '2026-11-30 11:00');
    expect(afterSupervisor.dueEvents.map((event) => event.level)).toEqual(['warning', 'breach', 'supervisor']);
    // Only the resolution warning (30h of 40h, Thursday 13:30) is left.
    expect(afterSupervisor.nextDueAt).toEqual(wita('2026-12-03 13:30'));
  });

  it('fires an event exactly at its moment', () => {
    const state = compute(fridayTicket, '2026-11-30 09:30');
    expect(state.firstResponse.status).toBe('breached');
    expect(state.dueEvents.at(-1)).toEqual({ timer: 'first_response', level: 'breach', at: wita('2026-11-30 09:30') });
    expect(state.nextDueAt).toEqual(wita('2026-11-30 10:30'));
  });

  it('is met by a public reply before the due time and stops escalating', () => {
    const state = compute({ ...fridayTicket, firstResponseAt: wita('2026-11-30 09:00') }, '2026-11-30 09:45');
    expect(state.firstResponse).toMatchObject({ status: 'met', stoppedAt: wita('2026-11-30 09:00'), elapsedMs: 1.5 * HOUR });
    expect(state.dueEvents).toEqual([]);
    expect(state.nextDueAt).toEqual(wita('2026-12-03 13:30'));
  });

  it('records a late reply as breached without further events', () => {
    const state = compute({ ...fridayTicket, firstResponseAt: wita('2026-11-30 10:00') }, '2026-11-30 11:00');
    expect(state.firstResponse).toMatchObject({
      status: 'breached',
      breachedAt: wita('2026-11-30 09:30'),
      stoppedAt: wita('2026-11-30 10:00'),
      elapsedMs: 2.5 * HOUR,
    });
    expect(state.dueEvents).toEqual([]);
  });

  it('counts a reply after closing as met when the window ran out exactly at closing', () => {
    // High priority, 30m from Friday 15:30: the window ends at 16:00, so the due time is Monday 08:00.
    const ticket: TicketSlaFacts = { priority: 'high', openedAt: wita('2026-11-27 15:30') };
    expect(compute(ticket, '2026-11-27 15:31').firstResponse.dueAt).toEqual(wita('2026-11-30 08:00'));
    const lateFriday = compute({ ...ticket, firstResponseAt: wita('2026-11-27 16:05') }, '2026-11-27 16:10');
    expect(lateFriday.firstResponse).toMatchObject({ status: 'met', elapsedMs: 0.5 * HOUR });
    const mondayMorning = compute({ ...ticket, firstResponseAt: wita('2026-11-30 08:01') }, '2026-11-30 08:10');
    expect(mondayMorning.firstResponse.status).toBe('breached');
  });

  it('skips Dec 24-25 when cuti bersama is closed, and only Dec 25 when open', () => {
    const ticket: TicketSlaFacts = { priority: 'normal', openedAt: wita('2026-12-23 15:00') };
    expect(compute(ticket, '2026-12-23 15:00').firstResponse.dueAt).toEqual(wita('2026-12-28 09:00'));
    const open = computeSlaTimers(makePolicy({ cutiBersamaClosed: false }), ticket, wita('2026-12-23 15:00'));
    expect(open.firstResponse.dueAt).toEqual(wita('2026-12-24 09:00'));
  });

  it('starts at opening for a ticket opened before office hours', () => {
    const state = compute({ priority: 'normal', openedAt: wita('2026-11-30 06:00') }, '2026-11-30 06:05');
    expect(state.firstResponse.dueAt).toEqual(wita('2026-11-30 10:00'));
    expect(state.firstResponse.warnAt).toEqual(wita('2026-11-30 09:30'));
  });

  it('treats a resolution without a public reply as settling the first response', () => {
    const state = compute(
      { priority: 'normal', openedAt: wita('2026-11-30 08:00'), resolvedAt: wita('2026-11-30 09:00') },
      '2026-11-30 12:00',
    );
    expect(state.firstResponse).toMatchObject({ status: 'met', stoppedAt: wita('2026-11-30 09:00') });
    expect(state.nextDueAt).toBeNull();
  });

  it('ignores facts recorded after now (scan --at in the past)', () => {
    const state = compute({ ...fridayTicket, firstResponseAt: wita('2026-11-30 09:00') }, '2026-11-27 15:45');
    expect(state.firstResponse.status).toBe('running');
  });
});

describe('next response', () => {
  const answered: TicketSlaFacts = {
    priority: 'normal',
    openedAt: wita('2026-11-30 08:00'),
    firstResponseAt: wita('2026-11-30 08:30'),
  };

  it('runs from the oldest unanswered applicant message', () => {
    const state = compute({ ...answered, unansweredSince: wita('2026-11-30 13:00') }, '2026-11-30 13:05');
    expect(state.nextResponse).toMatchObject({
      timer: 'next_response',
      status: 'running',
      startAt: wita('2026-11-30 13:00'),
      // 3h of the 4h window is exactly Monday's closing, so the warning comes at Tuesday's opening.
      warnAt: wita('2026-12-01 08:00'),
      dueAt: wita('2026-12-01 09:00'),
      supervisorAt: wita('2026-12-01 10:00'),
    });
    expect(state.nextDueAt).toEqual(wita('2026-12-01 08:00'));
  });

  it('breaches and escalates like the first response', () => {
    const state = compute({ ...answered, unansweredSince: wita('2026-11-30 13:00') }, '2026-12-01 09:30');
    expect(state.nextResponse).toMatchObject({ status: 'breached', breachedAt: wita('2026-12-01 09:00') });
    expect(state.dueEvents).toEqual([
      { timer: 'next_response', level: 'warning', at: wita('2026-12-01 08:00') },
      { timer: 'next_response', level: 'breach', at: wita('2026-12-01 09:00') },
    ]);
    expect(state.nextDueAt).toEqual(wita('2026-12-01 10:00'));
  });

  it('is absent when nothing awaits a reply, or before the first response', () => {
    expect(compute(answered, '2026-11-30 13:05').nextResponse).toBeNull();
    const noReplyYet = { priority: 'normal', openedAt: wita('2026-11-30 08:00'), unansweredSince: wita('2026-11-30 08:00') } as const;
    expect(compute(noReplyYet, '2026-11-30 09:00').nextResponse).toBeNull();
  });
});

describe('resolution: office days, pending pauses and reopen', () => {
  const monday: TicketSlaFacts = {
    priority: 'normal',
    openedAt: wita('2026-11-30 08:00'),
    firstResponseAt: wita('2026-11-30 08:30'),
  };

  it('uses 5 office days as the window and warns at 75% of it', () => {
    const state = compute(monday, '2026-12-01 10:00');
    expect(state.resolution).toMatchObject({
      status: 'running',
      windowMs: 40 * HOUR,
      elapsedMs: 10 * HOUR,
      warnAt: wita('2026-12-03 14:00'),
      // 40h end exactly at Friday's closing, so the due time is Monday's opening.
      dueAt: wita('2026-12-07 08:00'),
    });
  });

  it('high priority uses 2 office days, skipping cuti bersama and Christmas', () => {
    const state = compute({ priority: 'high', openedAt: wita('2026-12-23 10:00') }, '2026-12-23 10:05');
    expect(state.resolution.dueAt).toEqual(wita('2026-12-29 10:00'));
    expect(state.resolution.windowMs).toBe(16 * HOUR);
  });

  it('adds a finished pending period to the due time', () => {
    const state = compute(
      { ...monday, pauses: [{ startAt: wita('2026-12-01 08:00'), endAt: wita('2026-12-02 08:00'), reason: 'pending' }] },
      '2026-12-03 10:00',
    );
    expect(state.resolution).toMatchObject({
      status: 'running',
      elapsedMs: 18 * HOUR,
      warnAt: wita('2026-12-04 14:00'),
      dueAt: wita('2026-12-08 08:00'),
    });
  });

  it('is paused with no due time while pending', () => {
    const state = compute({ ...monday, pauses: [{ startAt: wita('2026-12-02 12:00'), reason: 'pending' }] }, '2026-12-03 10:00');
    expect(state.resolution).toMatchObject({
      status: 'paused',
      elapsedMs: 20 * HOUR,
      warnAt: null,
      dueAt: null,
      supervisorAt: null,
      breachedAt: null,
    });
    expect(state.nextDueAt).toBeNull();
    expect(state.dueEvents).toEqual([]);
  });

  it('keeps a warning reached before the pause', () => {
    const state = compute({ ...monday, pauses: [{ startAt: wita('2026-12-03 15:00'), endAt: null, reason: 'pending' }] }, '2026-12-04 10:00');
    expect(state.resolution).toMatchObject({ status: 'paused', warnAt: wita('2026-12-03 14:00'), dueAt: null });
    expect(state.dueEvents).toEqual([]);
  });

  it('treats a pause ending after now as still going on', () => {
    const pauses = [{ startAt: wita('2026-12-02 12:00'), endAt: wita('2026-12-10 12:00'), reason: 'pending' as const }];
    expect(compute({ ...monday, pauses }, '2026-12-03 10:00').resolution.status).toBe('paused');
  });

  it('ignores pending time outside office hours', () => {
    const pauses = [{ startAt: wita('2026-12-04 16:30'), endAt: wita('2026-12-07 07:00'), reason: 'pending' as const }];
    expect(compute({ ...monday, pauses }, '2026-12-07 07:30').resolution.dueAt).toEqual(wita('2026-12-07 08:00'));
  });

  it('merges overlapping and unsorted pauses', () => {
    const pauses = [
      { startAt: wita('2026-12-01 12:00'), endAt: wita('2026-12-02 08:00'), reason: 'pending' as const },
      { startAt: wita('2026-12-01 08:00'), endAt: wita('2026-12-01 14:00'), reason: 'pending' as const },
    ];
    expect(compute({ ...monday, pauses }, '2026-12-03 10:00').resolution.dueAt).toEqual(wita('2026-12-08 08:00'));
  });

  it('stays breached when the ticket goes pending after the breach, and holds the supervisor level', () => {
    const ticket: TicketSlaFacts = { priority: 'high', openedAt: wita('2026-11-30 08:00'), firstResponseAt: wita('2026-11-30 08:10') };
    const pending = { startAt: wita('2026-12-02 08:30'), reason: 'pending' as const };
    const whilePending = compute({ ...ticket, pauses: [pending] }, '2026-12-02 11:00');
    expect(whilePending.resolution).toMatchObject({
      status: 'breached',
      breachedAt: wita('2026-12-02 08:00'),
      supervisorAt: null,
    });
    expect(whilePending.dueEvents.map((event) => `${event.timer}:${event.level}`)).toEqual(['resolution:warning', 'resolution:breach']);
    expect(whilePending.nextDueAt).toBeNull();

    // The applicant answers at 14:00: the half hour of supervisor delay left resumes.
    const resumed = compute({ ...ticket, pauses: [{ ...pending, endAt: wita('2026-12-02 14:00') }] }, '2026-12-02 14:10');
    expect(resumed.resolution.supervisorAt).toEqual(wita('2026-12-02 14:30'));
    expect(resumed.nextDueAt).toEqual(wita('2026-12-02 14:30'));
  });

  it('is met when resolved in time, and stops the clock', () => {
    const state = compute({ ...monday, resolvedAt: wita('2026-12-01 12:00') }, '2026-12-02 10:00');
    expect(state.resolution).toMatchObject({ status: 'met', stoppedAt: wita('2026-12-01 12:00'), elapsedMs: 12 * HOUR });
    expect(state.nextDueAt).toBeNull();
  });

  it('is breached when resolved late', () => {
    const state = compute(
      { priority: 'high', openedAt: wita('2026-11-30 08:00'), firstResponseAt: wita('2026-11-30 08:10'), resolvedAt: wita('2026-12-02 09:00') },
      '2026-12-02 10:00',
    );
    expect(state.resolution).toMatchObject({ status: 'breached', breachedAt: wita('2026-12-02 08:00'), stoppedAt: wita('2026-12-02 09:00') });
    expect(state.dueEvents).toEqual([]);
  });

  it('ends an open pending period at the resolution', () => {
    const state = compute(
      { ...monday, pauses: [{ startAt: wita('2026-11-30 10:00'), reason: 'pending' }], resolvedAt: wita('2026-12-01 10:00') },
      '2026-12-01 11:00',
    );
    expect(state.resolution).toMatchObject({ status: 'met', elapsedMs: 2 * HOUR });
  });

  it('continues the same clock after a reopen; the resolved gap does not count', () => {
    const reopened: TicketSlaFacts = {
      ...monday,
      pauses: [{ startAt: wita('2026-12-01 12:00'), endAt: wita('2026-12-03 12:00'), reason: 'resolved' }],
      unansweredSince: wita('2026-12-03 12:00'),
    };
    const state = compute(reopened, '2026-12-03 14:00');
    expect(state.resolution).toMatchObject({
      status: 'running',
      startAt: wita('2026-11-30 08:00'),
      elapsedMs: 14 * HOUR,
      // 40h + the 16h resolved gap, ending at Tuesday's closing.
      dueAt: wita('2026-12-09 08:00'),
    });
    expect(state.firstResponse.status).toBe('met');
    expect(state.nextResponse).toMatchObject({ status: 'running', dueAt: wita('2026-12-04 08:00') });
    expect(state.nextDueAt).toEqual(wita('2026-12-03 15:00'));
  });
});

describe('24x7 policy', () => {
  it('counts weekends and nights', () => {
    const always = makePolicy({ hours: '24x7' });
    const state = computeSlaTimers(always, { priority: 'normal', openedAt: wita('2026-11-28 10:00') }, wita('2026-11-28 10:05'));
    expect(state.firstResponse).toMatchObject({ warnAt: wita('2026-11-28 11:30'), dueAt: wita('2026-11-28 12:00') });
    expect(state.resolution.dueAt).toEqual(wita('2026-12-03 10:00'));
  });
});
