/**
 * Pure SLA timer computation for one ticket: facts in, timer states out.
 *
 * The conversation core maps its rows to `TicketSlaFacts`, calls
 * `computeSlaTimers` after every ticket change and on every scan, stores
 * `nextDueAt` in an indexed column, and fires `dueEvents` (each once, keyed by
 * ticket, timer and level). Definitions are the shared ones of issue 7:
 * - first_response: openedAt -> first public staff reply;
 * - next_response: oldest unanswered applicant message -> next public staff reply;
 * - resolution: openedAt -> resolvedAt, paused while pending; a reopen continues
 *   the same clock (the resolved-to-reopened gap is a pause).
 * All windows are business time from the policy's calendar.
 */
import type { BusinessCalendar } from './calendar.js';
import { durationBusinessMs } from './calendar.js';
import { timerDuration, windowsOf, type SlaPolicy, type SlaPriority, type SlaTimer } from './policy.js';

export type TimerStatus = 'running' | 'paused' | 'met' | 'breached';
export type EscalationLevel = 'warning' | 'breach' | 'supervisor';

/** A period during which the resolution clock stood still. */
export interface PauseInterval {
  startAt: Date;
  /** Absent or null while the pause is still going on. */
  endAt?: Date | null;
  /** `pending`: waiting for the applicant. `resolved`: resolved, then reopened at `endAt`. */
  reason: 'pending' | 'resolved';
}

/**
 * What the core knows about a ticket. Optional times may be absent or null.
 * Facts later than `now` are ignored, so `now` can be set in the past
 * (`sapa sla scan --at`) without a special code path.
 */
export interface TicketSlaFacts {
  priority: SlaPriority;
  /** Where the complaint came from; an origin listed in the policy has its own windows (`windowsOf`). */
  origin?: string | null;
  openedAt: Date;
  /** First public staff reply. Bot replies and internal notes do not count. */
  firstResponseAt?: Date | null;
  /**
   * The oldest applicant message with no public staff reply after it; absent
   * when every applicant message has been answered. Ignored until the first
   * response exists, because before that the first-response timer covers it.
   */
  unansweredSince?: Date | null;
  /**
   * Every period the resolution clock stood still: pending periods, and for a
   * reopened ticket the period from its earlier resolution to the reopen
   * (reason `resolved`). At most the last one may be open. Overlaps are merged.
   */
  pauses?: readonly PauseInterval[];
  /** Set while the ticket is resolved or closed; cleared (and turned into a `resolved` pause) on reopen. */
  resolvedAt?: Date | null;
}

export interface TimerState {
  timer: SlaTimer;
  status: TimerStatus;
  startAt: Date;
  /** The window in business ms (office-day windows converted from `startAt`). */
  windowMs: number;
  /** Business ms counted so far (up to the stop or `now`), pauses excluded. */
  elapsedMs: number;
  /** When `warn_at` of the window is reached; null while paused before reaching it. */
  warnAt: Date | null;
  /** When the window runs out; null while paused before it runs out. */
  dueAt: Date | null;
  /** `supervisor_after_breach` of (unpaused) business time after `dueAt`; null while paused before it. */
  supervisorAt: Date | null;
  /** The reply or resolution that stopped the timer, if any. */
  stoppedAt: Date | null;
  /** Equal to `dueAt` when breached, else null. */
  breachedAt: Date | null;
}

export interface SlaEvent {
  timer: SlaTimer;
  level: EscalationLevel;
  at: Date;
}

export interface TicketSlaState {
  firstResponse: TimerState;
  /** Null when no applicant message awaits a reply (or before the first response). */
  nextResponse: TimerState | null;
  resolution: TimerState;
  /** Earliest warning, breach or supervisor moment after `now` of a live timer; null when none. */
  nextDueAt: Date | null;
  /**
   * Moments at or before `now` of live timers (running, or breached and still
   * unanswered), oldest first. Already-escalated moments stay in this list on
   * every later call while the timer is live: the caller records each
   * (ticket, timer, level) once and skips recorded ones.
   */
  dueEvents: SlaEvent[];
}

/** Pause in ms; `endMs` null = still going on at the evaluation point. */
interface PauseMs {
  startMs: number;
  endMs: number | null;
}

export function computeSlaTimers(policy: SlaPolicy, facts: TicketSlaFacts, now: Date): TicketSlaState {
  const nowMs = now.getTime();
  const known = (at: Date | null | undefined): Date | null => (at != null && at.getTime() <= nowMs ? at : null);

  const resolvedAt = known(facts.resolvedAt);
  const firstResponseAt = known(facts.firstResponseAt);
  const unansweredSince = known(facts.unansweredSince);

  // A resolution also settles any reply timer still open: the applicant's matter is closed.
  const firstResponse = computeTimer(policy, facts.priority, facts.origin ?? null, 'first_response', {
    startAt: facts.openedAt,
    stopAt: earliest(firstResponseAt, resolvedAt),
    pauses: [],
    nowMs,
  });
  const nextResponse =
    firstResponseAt !== null && unansweredSince !== null
      ? computeTimer(policy, facts.priority, facts.origin ?? null, 'next_response', {
          startAt: unansweredSince,
          stopAt: resolvedAt,
          pauses: [],
          nowMs,
        })
      : null;
  const resolution = computeTimer(policy, facts.priority, facts.origin ?? null, 'resolution', {
    startAt: facts.openedAt,
    stopAt: resolvedAt,
    pauses: normalizePauses(facts.pauses ?? [], facts.openedAt.getTime(), nowMs, resolvedAt?.getTime() ?? null),
    nowMs,
  });

  const live = [firstResponse, nextResponse, resolution].filter((state): state is TimerState => state !== null && isLive(state));
  const moments = live.flatMap((state) => [
    { timer: state.timer, level: 'warning' as const, at: state.warnAt },
    { timer: state.timer, level: 'breach' as const, at: state.dueAt },
    { timer: state.timer, level: 'supervisor' as const, at: state.supervisorAt },
  ]);
  const dueEvents: SlaEvent[] = [];
  let nextDueMs: number | null = null;
  for (const { timer, level, at } of moments) {
    if (at === null) continue;
    const atMs = at.getTime();
    if (atMs <= nowMs) dueEvents.push({ timer, level, at });
    else if (nextDueMs === null || atMs < nextDueMs) nextDueMs = atMs;
  }
  dueEvents.sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    firstResponse,
    nextResponse,
    resolution,
    nextDueAt: nextDueMs === null ? null : new Date(nextDueMs),
    dueEvents,
  };
}

interface TimerInput {
  startAt: Date;
  stopAt: Date | null;
  pauses: readonly PauseMs[];
  nowMs: number;
}

function computeTimer(policy: SlaPolicy, priority: SlaPriority, origin: string | null, timer: SlaTimer, input: TimerInput): TimerState {
  const { calendar } = policy;
  const { startAt, stopAt, pauses, nowMs } = input;
  const startMs = startAt.getTime();
  const windowMs = durationBusinessMs(calendar, startAt, timerDuration(policy, priority, timer, origin));
  const warnMs = Math.round(windowMs * windowsOf(policy, priority, origin).warnAt);

  const dueMs = activeDueMs(calendar, startMs, windowMs, pauses);
  const warnAtMs = activeDueMs(calendar, startMs, warnMs, pauses);
  // Counted like the window itself, so a pending period also delays the supervisor.
  const supervisorAtMs = activeDueMs(calendar, startMs, windowMs + policy.supervisorAfterBreachMs, pauses);
  const dueAt = dueMs === null ? null : new Date(dueMs);
  const endMs = Math.max(startMs, stopAt?.getTime() ?? nowMs);
  const elapsedMs = Math.max(0, activeBusinessMs(calendar, startMs, endMs, pauses));
  const pausedNow = stopAt === null && pauses.some((pause) => pause.startMs <= nowMs && (pause.endMs === null || pause.endMs > nowMs));

  // `respondedAt <= dueAt` is exactly "within the window in business time" (see calendar.ts).
  let status: TimerStatus;
  if (stopAt !== null) status = dueMs !== null && stopAt.getTime() <= dueMs ? 'met' : 'breached';
  else if (dueMs !== null && nowMs >= dueMs) status = 'breached';
  else if (pausedNow) status = 'paused';
  else status = 'running';

  return {
    timer,
    status,
    startAt,
    windowMs,
    elapsedMs,
    warnAt: warnAtMs === null ? null : new Date(warnAtMs),
    dueAt,
    supervisorAt: supervisorAtMs === null ? null : new Date(supervisorAtMs),
    stoppedAt: stopAt,
    breachedAt: status === 'breached' ? dueAt : null,
  };
}

/**
 * Live timers can still escalate: not met and not stopped. A breached timer that
 * is now paused stays live, but its supervisor moment is null until the pause ends.
 */
function isLive(state: TimerState): boolean {
  return state.stoppedAt === null && (state.status === 'running' || state.status === 'breached');
}

function activeDueMs(calendar: BusinessCalendar, startMs: number, budgetMs: number, pauses: readonly PauseMs[]): number | null {
  let cursor = startMs;
  let remaining = budgetMs;
  for (const pause of pauses) {
    const candidate = calendar.addBusinessTime(new Date(cursor), remaining).getTime();
    if (candidate <= pause.startMs) return candidate;
    remaining -= calendar.businessMsBetween(new Date(cursor), new Date(pause.startMs));
    if (pause.endMs === null) return null;
    cursor = pause.endMs;
  }
  return calendar.addBusinessTime(new Date(cursor), remaining).getTime();
}

function activeBusinessMs(calendar: BusinessCalendar, startMs: number, endMs: number, pauses: readonly PauseMs[]): number {
  let total = calendar.businessMsBetween(new Date(startMs), new Date(endMs));
  for (const pause of pauses) {
    const from = Math.max(startMs, pause.startMs);
    const to = Math.min(endMs, pause.endMs ?? endMs);
    if (to > from) total -= calendar.businessMsBetween(new Date(from), new Date(to));
  }
  return total;
}

/**
 * Sorts, clips and merges pauses. Pauses starting after the evaluation point
 * (the stop, else `nowMs`) are unknown yet and dropped. A pause still going on
 * at `nowMs` stays open-ended (null end), unless the timer has stopped, in
 * which case it ends at the stop.
 */
function normalizePauses(pauses: readonly PauseInterval[], fromMs: number, nowMs: number, stopMs: number | null): PauseMs[] {
  const limitMs = stopMs ?? nowMs;
  const clipped: PauseMs[] = [];
  for (const pause of pauses) {
    const startMs = Math.max(fromMs, pause.startAt.getTime());
    if (startMs > limitMs) continue;
    const rawEndMs = pause.endAt?.getTime() ?? null;
    let endMs: number | null;
    if (stopMs !== null) endMs = Math.min(rawEndMs ?? stopMs, stopMs);
    else endMs = rawEndMs === null || rawEndMs > nowMs ? null : rawEndMs;
    if (endMs !== null && endMs <= startMs) continue;
    clipped.push({ startMs, endMs });
  }
  clipped.sort((a, b) => a.startMs - b.startMs);
  const merged: PauseMs[] = [];
  for (const pause of clipped) {
    const last = merged[merged.length - 1];
    if (last !== undefined && (last.endMs === null || pause.startMs <= last.endMs)) {
      last.endMs = last.endMs === null || pause.endMs === null ? null : Math.max(last.endMs, pause.endMs);
    } else {
      merged.push({ ...pause });
    }
  }
  return merged;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
