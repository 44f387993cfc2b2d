/**
 * The SLA scanner: a periodic job that escalates tickets whose next SLA moment
 * has passed.
 *
 * - Selection goes through the partial index `tickets_sla_check`, so a scan costs
 *   in proportion to the tickets that are due, not to all tickets.
 * - Each due (ticket, timer, level) fires once: the `sla_escalations` row is
 *   inserted in the same IMMEDIATE transaction as the staff alert, and its unique
 *   key turns a second attempt (another scanner, a restart, the CLI) into a no-op.
 * - A forward clock jump fires every missed level once, oldest first. A backward
 *   jump fires nothing new: timers are evaluated with every recorded fact (a
 *   staff reply stored "in the future" still counts), and only moments at or
 *   before the scan time fire.
 * - Afterwards the ticket's `next_sla_check_at` is its next unfired moment, so
 *   it drops out of the index until then.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { createCronJob, cronProblems, type CronJob } from '../cron-job.js';
import type { Ticket } from '../domain.js';
import { staffTexts, type SlaAlertFacts } from '../messages/staff.js';
import { createStaffService } from '../staff.js';
import type { StaffAlerts } from '../staff-alerts.js';
import { inTransaction, type Db } from '../store/db.js';
import { toTicket } from '../store/mappers.js';
import { getTicketRow, updateTicket } from '../store/tickets.js';
import { ticketPauses } from '../tickets.js';
import { formatOfficeTime } from '../time-format.js';
import { formatDuration } from './duration.js';
import type { EventBus } from '../events.js';
import { queueLaporNoticeAfterBreach } from '../lapor-notice.js';
import { slaStateOf } from './planner.js';
import type { SlaPolicy, SlaTimer } from './policy.js';
import type { EscalationLevel, SlaEvent, TicketSlaState, TimerState } from './timers.js';

/** `SLA_SCAN_CRON` default: every minute. */
export const DEFAULT_SLA_SCAN_CRON = '* * * * *';

/** Due tickets committed per transaction (each one a savepoint inside it). */
const SCAN_CHUNK = 250;

/** What `tickets.escalation_level` records: the highest level reached. */
const LEVEL_RANK: Readonly<Record<EscalationLevel, number>> = { warning: 0, breach: 1, supervisor: 2 };

export interface FiredEscalation {
  readonly ticketId: number;
  readonly ref: string;
  readonly timer: SlaTimer;
  readonly level: EscalationLevel;
  /** The moment of this level (warning, breach or supervisor time). */
  readonly dueAt: Date;
}

/** Also the JSON printed by `sapa sla scan`. */
export interface ScanReport {
  readonly at: Date;
  readonly dryRun: boolean;
  /** Due tickets whose timers were recomputed. */
  readonly examined: number;
  /** Escalations fired by this scan (in a dry run: those it would fire), oldest first per ticket. */
  readonly fired: readonly FiredEscalation[];
  /** The earliest moment any ticket needs the scanner again; null when none. */
  readonly nextCheckAt: Date | null;
}

export interface ScanOptions {
  /** Compute and report only: no alerts, no rows, no ticket updates. */
  readonly dryRun?: boolean;
}

export interface SlaScanner {
  /** Escalates what is due at `at` (default: now). Synchronous: one savepoint per due ticket, committed in chunks. */
  scan(at?: Date, options?: ScanOptions): ScanReport;
  /** One scheduled run behind the error boundary: logs failures, never throws. */
  tick(): void;
  /** Schedules `tick` on the cron expression, in the office time zone. */
  start(): void;
  stop(): Promise<void>;
}

export interface SlaScannerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly policy: SlaPolicy;
  readonly alerts: StaffAlerts;
  readonly logger: Logger;
  /** Office zone: cron fields and the times written in alerts. */
  readonly timeZone: string;
  /** node-cron expression (`SLA_SCAN_CRON`); a leading seconds field is allowed. Default every minute. */
  readonly cron?: string;
  /** Told of the applicant messages a scan queues (the LAPOR! notice after a resolution breach), so the outbox sends them at once. */
  readonly bus?: EventBus;
}

export class SlaScheduleError extends Error {
  readonly code = 'SLA_SCAN_CRON_INVALID';
  constructor(
    readonly expression: string,
    problems: readonly string[],
  ) {
    super(`SLA_SCAN_CRON "${expression}" is not a valid cron expression (${problems.join('; ')}); expected 5 or 6 fields, e.g. "* * * * *" or "*/30 * * * * *"`);
    this.name = 'SlaScheduleError';
  }
}

export function createSlaScanner(deps: SlaScannerDeps): SlaScanner {
  const { db, clock, policy, alerts, timeZone } = deps;
  const logger = deps.logger.child({ module: 'sla-scanner' });
  const expression = deps.cron ?? DEFAULT_SLA_SCAN_CRON;
  const staff = createStaffService(db);
  const queries = createQueries(db);

  let job: CronJob | null = null;
  let ticking = false;

  /** Names looked up during one scan (many due tickets share a few officers); cleared by each scan. */
  const names = new Map<number, string>();
  const assigneeName = (ticket: Ticket): string | null => {
    if (ticket.assigneeId === null) return null;
    let name = names.get(ticket.assigneeId);
    if (name === undefined) {
      const account = staff.get(ticket.assigneeId);
      name = account === null ? `petugas ${ticket.assigneeId}` : (account.displayName ?? account.username);
      names.set(ticket.assigneeId, name);
    }
    return name;
  };

  /** Wording and routing of one escalation; business durations so they match the SLA definitions. */
  const raise = (ticket: Ticket, timerState: TimerState, event: SlaEvent, at: Date, overdueMs: number): number => {
    const breachAt = timerState.dueAt ?? event.at;
    const facts: SlaAlertFacts = {
      ticket,
      timer: event.timer,
      assignee: assigneeName(ticket),
      dueText: formatOfficeTime(breachAt, at, timeZone, 'id'),
      // Warnings say the time left, breaches the time past due; a late-fired warning (clock jump) says 0.
      durationText: formatDuration(roundToMinute(Math.max(0, event.level === 'warning' ? -overdueMs : overdueMs))),
    };
    const buttons = [
      ...(ticket.assigneeId === null ? [{ label: staffTexts.claimLabel, payload: `staff:claim:${ticket.id}` }] : []),
      { label: staffTexts.resolveLabel, payload: `staff:resolve:${ticket.id}` },
    ];
    switch (event.level) {
      case 'warning':
        // Alert targets are groups; naming the assignee in the staff group is how the warning reaches them.
        return alerts.raise({ kind: 'sla_warning', audience: 'staff', ticketId: ticket.id, text: staffTexts.slaWarning(facts), quickReplies: buttons }).alertId;
      case 'breach':
        // #21: past its resolution time, the applicant is told of their right to escalate to LAPOR!.
        if (event.timer === 'resolution') queueLaporNoticeAfterBreach(db, ticket, at, deps.bus);
        return alerts.raise({ kind: 'sla_breach', audience: 'staff', ticketId: ticket.id, text: staffTexts.slaBreach(facts), quickReplies: buttons }).alertId;
      case 'supervisor':
        return alerts.raise({ kind: 'sla_supervisor', audience: 'supervisor', ticketId: ticket.id, text: staffTexts.slaSupervisor(facts) }).alertId;
    }
  };

  /**
   * Recomputes one ticket and fires its due moments. Returns null when the ticket is
   * no longer due (another scanner got there first, or it was deleted).
   */
  const examine = (id: number, at: Date, dryRun: boolean): { fired: FiredEscalation[]; nextCheckAt: Date | null } | null => {
    const atMs = at.getTime();
    const row = getTicketRow(db, id);
    const checkAt = row?.next_sla_check_at;
    if (!row || checkAt === undefined || checkAt === null || checkAt > atMs) return null;
    const ticket = toTicket(row);

    // Evaluate with every recorded fact: after a backward clock jump, a reply stored
    // "later" must still stop its timer. Only moments at or before `at` fire.
    const evalAt = new Date(Math.max(atMs, ticket.updatedAt.getTime()));
    const state = slaStateOf(policy, ticket, ticketPauses(db, id), evalAt);
    const done = queries.firedKeys(id);
    const fired: FiredEscalation[] = [];
    let nextMs = state.nextDueAt?.getTime() ?? null;
    let level = ticket.escalationLevel;

    for (const event of state.dueEvents) {
      const eventMs = event.at.getTime();
      if (eventMs > atMs) {
        // Only possible when evalAt > at (clock went back): due later, not now.
        if (nextMs === null || eventMs < nextMs) nextMs = eventMs;
        continue;
      }
      const timerState = timerOf(state, event.timer);
      if (timerState === null) continue;
      const key = escalationKey(event.timer, event.level, timerState.startAt);
      if (done.has(key)) continue;
      const breachAt = timerState.dueAt ?? event.at;
      const overdueMs = businessOverdueMs(policy, timerState, breachAt, at, evalAt);
      if (!dryRun) {
        const inserted = queries.insertEscalation({
          ticketId: id,
          timer: event.timer,
          level: event.level,
          windowStartAt: timerState.startAt,
          priority: ticket.priority,
          dueAt: event.at,
          breachAt,
          firedAt: at,
          overdueMs,
          assigneeId: ticket.assigneeId,
        });
        // Already recorded by a concurrent scanner between our read and this insert: stay silent.
        if (inserted === null) continue;
        queries.setAlert(inserted, raise(ticket, timerState, event, at, overdueMs));
      }
      done.add(key);
      level = Math.max(level, LEVEL_RANK[event.level]);
      fired.push({ ticketId: id, ref: ticket.ref, timer: event.timer, level: event.level, dueAt: event.at });
    }

    const nextCheckAt = nextMs === null ? null : new Date(nextMs);
    if (!dryRun) {
      // Keeps updated_at: a scan is not a change to the ticket.
      updateTicket(db, id, { nextSlaCheckAt: nextCheckAt, escalationLevel: level }, ticket.updatedAt);
    }
    return { fired, nextCheckAt };
  };

  /** One due ticket, as a savepoint inside the scan's transaction: a failure undoes that ticket only. */
  const examineTx = db.transaction((id: number, at: Date) => examine(id, at, false));

  const scan = (at: Date = clock.now(), options: ScanOptions = {}): ScanReport => {
    const dryRun = options.dryRun ?? false;
    const atMs = at.getTime();
    if (!Number.isFinite(atMs)) throw new RangeError('SLA scan: the scan time is not a valid date');
    names.clear();
    const fired: FiredEscalation[] = [];
    let examined = 0;
    let nextMs: number | null = null;
    const record = (outcome: { fired: FiredEscalation[]; nextCheckAt: Date | null } | null): void => {
      if (outcome === null) return;
      examined++;
      for (const escalation of outcome.fired) fired.push(escalation);
      const ms = outcome.nextCheckAt?.getTime() ?? null;
      if (ms !== null && (nextMs === null || ms < nextMs)) nextMs = ms;
    };
    const ids = queries.dueTicketIds(atMs);
    if (dryRun) {
      for (const id of ids) record(examine(id, at, true));
    } else {
      // Due tickets are committed in IMMEDIATE transactions of up to SCAN_CHUNK tickets,
      // each ticket a savepoint: a thousand commits cost more than the work itself, and
      // a chunk still holds the write lock for only milliseconds. If a ticket fails, the
      // tickets before it are committed, its own changes are undone, and the scan throws,
      // as when every ticket had its own transaction.
      for (let start = 0; start < ids.length; start += SCAN_CHUNK) {
        let failure: { err: unknown } | null = null;
        inTransaction(db, () => {
          for (const id of ids.slice(start, start + SCAN_CHUNK)) {
            try {
              record(examineTx(id, at));
            } catch (err) {
              failure = { err };
              return;
            }
          }
        });
        if (failure !== null) throw (failure as { err: unknown }).err;
      }
    }
    // Tickets not due now keep their stored moment; after a real scan the examined ones are > at too.
    const stored = queries.earliestCheckAfter(atMs);
    if (stored !== null && (nextMs === null || stored < nextMs)) nextMs = stored;
    return { at, dryRun, examined, fired, nextCheckAt: nextMs === null ? null : new Date(nextMs) };
  };

  const tick = (): void => {
    // node-cron's noOverlap covers scheduled runs; this also covers a manual tick during one.
    if (ticking) {
      logger.warn('SLA scan still running; tick skipped');
      return;
    }
    ticking = true;
    try {
      const report = scan(clock.now());
      const counts = countLevels(report.fired);
      if (report.fired.length > 0) logger.info({ examined: report.examined, ...counts }, 'SLA escalations fired');
      else logger.debug({ examined: report.examined }, 'SLA scan: nothing to escalate');
    } catch (err) {
      logger.error({ err }, 'SLA scan failed; the next tick retries');
    } finally {
      ticking = false;
    }
  };

  return {
    scan,
    tick,
    start() {
      if (job !== null) return;
      assertCronExpression(expression);
      job = createCronJob({ name: 'sla-scan', expression, timeZone, logger, run: tick });
      job.start();
      logger.info({ cron: expression, timeZone }, 'SLA scanner scheduled');
    },
    async stop() {
      const current = job;
      job = null;
      await current?.stop();
    },
  };
}

/** Throws `SlaScheduleError` naming the bad field; config can call it at start-up. */
export function assertCronExpression(expression: string): void {
  const problems = cronProblems(expression);
  if (problems.length > 0) throw new SlaScheduleError(expression, problems);
}

// ---------------------------------------------------------------- helpers

function timerOf(state: TicketSlaState, timer: SlaTimer): TimerState | null {
  switch (timer) {
    case 'first_response':
      return state.firstResponse;
    case 'next_response':
      return state.nextResponse;
    case 'resolution':
      return state.resolution;
  }
}

function escalationKey(timer: SlaTimer, level: EscalationLevel, windowStartAt: Date): string {
  return `${timer}|${level}|${windowStartAt.getTime()}`;
}

/**
 * Business time from the breach moment to `at`, pauses excluded (negative before the
 * breach: a warning's time left). The timer state was computed at `evalAt`; when the
 * clock went back, the stretch between `at` and `evalAt` is taken off again.
 */
function businessOverdueMs(policy: SlaPolicy, state: TimerState, breachAt: Date, at: Date, evalAt: Date): number {
  if (state.dueAt === null) return policy.calendar.businessMsBetween(breachAt, at);
  const elapsedAtScan = state.elapsedMs - Math.max(0, policy.calendar.businessMsBetween(at, evalAt));
  return elapsedAtScan - state.windowMs;
}

function roundToMinute(ms: number): number {
  return Math.round(ms / 60_000) * 60_000;
}

function countLevels(fired: readonly FiredEscalation[]): Record<EscalationLevel, number> {
  const counts: Record<EscalationLevel, number> = { warning: 0, breach: 0, supervisor: 0 };
  for (const escalation of fired) counts[escalation.level]++;
  return counts;
}

// ---------------------------------------------------------------- queries

interface NewEscalation {
  readonly ticketId: number;
  readonly timer: SlaTimer;
  readonly level: EscalationLevel;
  readonly windowStartAt: Date;
  readonly priority: Ticket['priority'];
  readonly dueAt: Date;
  readonly breachAt: Date;
  readonly firedAt: Date;
  readonly overdueMs: number;
  readonly assigneeId: number | null;
}

/** The IS NOT NULL term repeats the partial index's condition, so SQLite may use `tickets_sla_check`. */
const DUE_TICKETS_SQL =
  'SELECT id FROM tickets WHERE next_sla_check_at IS NOT NULL AND next_sla_check_at <= ? ORDER BY next_sla_check_at, id';

/** The scanner's SQL, kept together (snake_case stays here and in src/store). */
function createQueries(db: Db) {
  const dueIds = db.prepare<[number], { id: number }>(DUE_TICKETS_SQL);
  const earliest = db.prepare<[number], { at: number | null }>(
    'SELECT MIN(next_sla_check_at) AS at FROM tickets WHERE next_sla_check_at IS NOT NULL AND next_sla_check_at > ?',
  );
  const fired = db.prepare<[number], { timer: SlaTimer; level: EscalationLevel; window_start_at: number }>(
    'SELECT timer, level, window_start_at FROM sla_escalations WHERE ticket_id = ?',
  );
  const insert = db.prepare(
    `INSERT INTO sla_escalations (ticket_id, timer, level, window_start_at, priority, due_at, breach_at, fired_at, overdue_ms, assignee_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (ticket_id, timer, level, window_start_at) DO NOTHING`,
  );
  const setAlert = db.prepare('UPDATE sla_escalations SET alert_id = ? WHERE id = ?');

  return {
    dueTicketIds: (atMs: number): number[] => dueIds.all(atMs).map((row) => row.id),
    earliestCheckAfter: (atMs: number): number | null => earliest.get(atMs)?.at ?? null,
    firedKeys: (ticketId: number): Set<string> =>
      new Set(fired.all(ticketId).map((row) => escalationKey(row.timer, row.level, new Date(row.window_start_at)))),
    /** The new row's id, or null when that escalation was already recorded. */
    insertEscalation(e: NewEscalation): number | null {
      const result = insert.run(
        e.ticketId,
        e.timer,
        e.level,
        e.windowStartAt.getTime(),
        e.priority,
        e.dueAt.getTime(),
        e.breachAt.getTime(),
        e.firedAt.getTime(),
        Math.round(e.overdueMs),
        e.assigneeId,
      );
      return result.changes === 1 ? Number(result.lastInsertRowid) : null;
    },
    setAlert: (escalationId: number, alertId: number): void => {
      setAlert.run(alertId, escalationId);
    },
  };
}

/** The plan SQLite uses to find due tickets (tests check it goes through `tickets_sla_check`). */
export function explainDueSelection(db: Db): string[] {
  return db
    .prepare<[number], { detail: string }>(`EXPLAIN QUERY PLAN ${DUE_TICKETS_SQL}`)
    .all(0)
    .map((row) => row.detail);
}
