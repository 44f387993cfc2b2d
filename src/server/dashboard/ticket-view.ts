/**
 * The JSON shapes of tickets, messages and ticket events, and the SLA badge shown in
 * the queue. Applicant text goes out as plain strings; the pages insert it with
 * textContent only, never as HTML.
 */
import { ACTIVE_TICKET_STATUSES, type StoredMessage, type Ticket, type TicketChannel } from '../../domain.js';
import { durationBusinessMs } from '../../sla/calendar.js';
import { timerDuration, windowsOf, type SlaPolicy, type SlaTimer } from '../../sla/policy.js';
import { maskPersonalData } from '../../privacy.js';
import type { StaffAccount, StaffService } from '../../staff.js';
import type { Db } from '../../store/db.js';
import type { TicketEvent } from '../../store/tickets.js';
import { accessOf, type TicketAccess } from './ticket-access.js';

export type SlaBadge = 'overdue' | 'warning' | 'ok' | 'none';

export interface TimerView {
  readonly timer: SlaTimer;
  readonly startAt: string;
  readonly dueAt: string;
  readonly state: Exclude<SlaBadge, 'none'>;
}

export interface SlaView {
  readonly state: SlaBadge;
  readonly nextDueAt: string | null;
  readonly timers: readonly TimerView[];
}

export interface StaffRef {
  readonly id: number;
  readonly username: string;
  readonly displayName: string | null;
}

export interface TicketView {
  readonly id: number;
  readonly ref: string;
  readonly status: Ticket['status'];
  readonly priority: Ticket['priority'];
  readonly kind: Ticket['kind'];
  readonly integrity: boolean;
  readonly channel: TicketChannel;
  /** Where the complaint came from (#21): 'chat', or how staff received it. */
  readonly origin: Ticket['origin'];
  readonly laporTrackingId: string | null;
  readonly intent: string;
  /** The intent's label from the knowledge base (Indonesian), or the id when the intent is unknown. */
  readonly intentLabel: string;
  readonly servqual: Ticket['servqual'];
  /** Masked (NIK, passport, phone) when the viewer may only read the ticket. */
  readonly summary: string;
  /** What the viewer may do: act on it (free, own, or a supervisor) or only read it (a colleague's). */
  readonly access: TicketAccess;
  readonly contactName: string | null;
  readonly assignee: StaffRef | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly firstResponseDueAt: string | null;
  readonly firstResponseAt: string | null;
  readonly nextResponseDueAt: string | null;
  readonly resolutionDueAt: string | null;
  readonly awaitingReplySince: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly reopenCount: number;
  readonly escalationLevel: number;
  readonly sla: SlaView;
}

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

/** Running timers only: a met first response keeps its due time but no longer matters. */
function runningTimers(ticket: Ticket): { timer: SlaTimer; startAt: Date; dueAt: Date }[] {
  if (!ACTIVE_TICKET_STATUSES.includes(ticket.status)) return [];
  const timers: { timer: SlaTimer; startAt: Date; dueAt: Date }[] = [];
  if (ticket.firstResponseAt === null && ticket.firstResponseDueAt) {
    timers.push({ timer: 'first_response', startAt: ticket.createdAt, dueAt: ticket.firstResponseDueAt });
  }
  if (ticket.nextResponseDueAt && ticket.awaitingReplySince) {
    timers.push({ timer: 'next_response', startAt: ticket.awaitingReplySince, dueAt: ticket.nextResponseDueAt });
  }
  if (ticket.resolutionDueAt) timers.push({ timer: 'resolution', startAt: ticket.createdAt, dueAt: ticket.resolutionDueAt });
  return timers;
}

/**
 * Overdue once a due time has passed; warning once the business time left is below the
 * policy's warn share (the same `warn_at` that makes the scanner warn the assignee).
 */
export function slaView(policy: SlaPolicy, ticket: Ticket, now: Date): SlaView {
  const { calendar } = policy;
  const warnShare = windowsOf(policy, ticket.priority, ticket.origin).warnAt;
  const timers = runningTimers(ticket).map((t): TimerView => {
    let state: TimerView['state'] = 'ok';
    if (now >= t.dueAt) state = 'overdue';
    else {
      const windowMs = durationBusinessMs(calendar, t.startAt, timerDuration(policy, ticket.priority, t.timer, ticket.origin));
      if (calendar.businessMsBetween(now, t.dueAt) <= windowMs * (1 - warnShare)) state = 'warning';
    }
    return { timer: t.timer, startAt: t.startAt.toISOString(), dueAt: t.dueAt.toISOString(), state };
  });
  const rank = { overdue: 3, warning: 2, ok: 1 } as const;
  const worst = timers.reduce<SlaBadge>((acc, t) => (acc === 'none' || rank[t.state] > rank[acc as keyof typeof rank] ? t.state : acc), 'none');
  const next = timers.reduce<string | null>((acc, t) => (acc === null || t.dueAt < acc ? t.dueAt : acc), null);
  return { state: worst, nextDueAt: next, timers };
}

export interface Views {
  ticket(ticket: Ticket): TicketView;
  /** `masked`: personal numbers masked (a ticket the viewer may only read). */
  message(message: StoredMessage, masked?: boolean): MessageView;
  event(event: TicketEvent): EventView;
}

export interface MessageView {
  readonly id: number;
  readonly channel: TicketChannel;
  readonly ticketId: number | null;
  readonly direction: 'in' | 'out';
  readonly author: StoredMessage['author'];
  readonly staff: string | null;
  /** The officer's display name (or username). */
  readonly staffName: string | null;
  readonly visibility: StoredMessage['visibility'];
  readonly text: string;
  readonly masked: boolean;
  readonly textTruncated: boolean;
  readonly createdAt: string;
  readonly deliveryStatus: StoredMessage['deliveryStatus'];
  readonly deliveryError: string | null;
  /** Receipts from the provider (Messenger, Instagram): reached the person's device, read. */
  readonly deliveredAt: string | null;
  readonly readAt: string | null;
  /** #21: a public answer given outside SAPA (phone, letter, lapor, in_person, email), never sent; null otherwise. */
  readonly answeredVia: StoredMessage['answeredVia'];
  readonly intent: string | null;
  readonly confidence: number | null;
}

export interface EventView {
  readonly type: string;
  readonly actor: TicketEvent['actor'];
  readonly staff: string | null;
  readonly staffName: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  /** Names of the officers the event's `from`/`to` ids point to (claimed, released, assigned). */
  readonly fromStaff: string | null;
  readonly toStaff: string | null;
  readonly at: string;
}

/** Views for one request: staff names and contact names are looked up once each. */
export function createViews(deps: {
  db: Db;
  staff: StaffService;
  policy: SlaPolicy;
  now: Date;
  /** Who is looking: decides `access` and masking. */
  viewer: StaffAccount;
  /** The intent's label for staff (knowledge base, Indonesian). */
  intentLabel: (intent: string) => string | null;
}): Views {
  const staffCache = new Map<number, StaffRef | null>();
  const staffRef = (id: number | null): StaffRef | null => {
    if (id === null) return null;
    if (!staffCache.has(id)) {
      const account = deps.staff.get(id);
      staffCache.set(id, account ? { id: account.id, username: account.username, displayName: account.displayName } : null);
    }
    return staffCache.get(id) ?? null;
  };
  const nameOf = (id: unknown): string | null => {
    if (typeof id !== 'number') return null;
    const ref = staffRef(id);
    return ref ? (ref.displayName ?? ref.username) : null;
  };
  const contactName = deps.db.prepare<[number], { display_name: string | null }>('SELECT display_name FROM contacts WHERE id = ?');
  return {
    ticket: (t) => {
      const access = accessOf(deps.viewer, t);
      return {
      id: t.id,
      ref: t.ref,
      status: t.status,
      priority: t.priority,
      kind: t.kind,
      integrity: t.integrity,
      channel: t.channel,
      origin: t.origin,
      laporTrackingId: t.laporTrackingId,
      intent: t.intent,
      intentLabel: deps.intentLabel(t.intent) ?? t.intent,
      servqual: t.servqual,
      summary: access === 'read' ? maskPersonalData(t.summary) : t.summary,
      access,
      contactName: contactName.get(t.contactId)?.display_name ?? null,
      assignee: staffRef(t.assigneeId),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
      firstResponseDueAt: iso(t.firstResponseDueAt),
      firstResponseAt: iso(t.firstResponseAt),
      nextResponseDueAt: iso(t.nextResponseDueAt),
      resolutionDueAt: iso(t.resolutionDueAt),
      awaitingReplySince: iso(t.awaitingReplySince),
      resolvedAt: iso(t.resolvedAt),
      closedAt: iso(t.closedAt),
      reopenCount: t.reopenCount,
      escalationLevel: t.escalationLevel,
      sla: slaView(deps.policy, t, deps.now),
      };
    },
    message: (m, masked = false) => ({
      id: m.id,
      channel: m.channel,
      ticketId: m.ticketId,
      direction: m.direction,
      author: m.author,
      staff: staffRef(m.staffId)?.username ?? null,
      staffName: nameOf(m.staffId),
      visibility: m.visibility,
      text: masked ? maskPersonalData(m.text) : m.text,
      masked,
      textTruncated: m.textTruncated,
      createdAt: m.createdAt.toISOString(),
      deliveryStatus: m.deliveryStatus,
      deliveryError: m.deliveryError,
      deliveredAt: iso(m.deliveredAt),
      readAt: iso(m.readAt),
      answeredVia: m.answeredVia ?? null,
      intent: m.intent,
      confidence: m.confidence,
    }),
    event: (e) => ({
      type: e.type,
      actor: e.actor,
      staff: staffRef(e.staffId)?.username ?? null,
      staffName: nameOf(e.staffId),
      data: e.data,
      fromStaff: nameOf(e.data['from']),
      toStaff: nameOf(e.data['to']),
      at: e.createdAt.toISOString(),
    }),
  };
}
