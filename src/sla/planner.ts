/**
 * Adapts the pure SLA engine to what tickets need: stored due times, the next
 * moment the scanner must look at a ticket, and whether the office is open now.
 */
import type { Ticket } from '../domain.js';
import type { OfficeStatus, SlaPlan, SlaPlanner } from '../tickets.js';
import { officeHoursText } from './hours-text.js';
import type { SlaPolicy } from './policy.js';
import { computeSlaTimers, type PauseInterval, type TicketSlaState } from './timers.js';

export function slaStateOf(policy: SlaPolicy, ticket: Ticket, pauses: readonly PauseInterval[], now: Date): TicketSlaState {
  return computeSlaTimers(
    policy,
    {
      priority: ticket.priority,
      origin: ticket.origin,
      openedAt: ticket.createdAt,
      firstResponseAt: ticket.firstResponseAt,
      unansweredSince: ticket.awaitingReplySince,
      pauses,
      resolvedAt: ticket.resolvedAt ?? ticket.closedAt,
    },
    now,
  );
}

export function createSlaPlanner(policy: SlaPolicy): SlaPlanner {
  return {
    plan(ticket, pauses, now): SlaPlan {
      const state = slaStateOf(policy, ticket, pauses, now);
      // Moments already due (not yet escalated) make the ticket due for the next scan;
      // the scanner records each escalation once and then stores `nextDueAt`.
      const firstDue = state.dueEvents[0]?.at ?? null;
      return {
        firstResponseDueAt: state.firstResponse.dueAt,
        nextResponseDueAt: state.nextResponse?.dueAt ?? null,
        resolutionDueAt: state.resolution.dueAt,
        nextCheckAt: firstDue ?? state.nextDueAt,
      };
    },
    officeStatus(now): OfficeStatus {
      const open = policy.calendar.isOpen(now);
      // Unconfirmed hours are still the SLA's clock, but not a fact to tell applicants.
      const opensAt = open || !policy.hoursConfirmed ? null : policy.calendar.nextOpening(now);
      return { open, opensAt, hoursConfirmed: policy.hoursConfirmed };
    },
    officeHoursText() {
      return policy.hoursConfirmed ? officeHoursText(policy.hours, policy.calendar.timeZone, policy.cutiBersamaClosed) : null;
    },
  };
}
