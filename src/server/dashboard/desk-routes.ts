/**
 * The officers' desk around the tickets (#18 part B): the alert feed with "seen" per
 * officer, take-over requests (an officer asks the holder of a colleague's ticket to hand
 * it over), notes about a contact, and a summary for the tab title (unread tickets, unseen
 * alerts, requests waiting for me).
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import { ACTIVE_TICKET_STATUSES, type Ticket } from '../../domain.js';
import type { StaffAccount, StaffService } from '../../staff.js';
import {
  addContactNote,
  closeOtherTakeovers,
  contactExists,
  decideTakeover,
  getTakeoverRequest,
  insertTakeoverRequest,
  listContactTickets,
  listPendingTakeovers,
  markAlertsSeen,
  pendingTakeoverFor,
  seenAlertIds,
  unreadCounts,
  type TakeoverRequest,
} from '../../store/staff-desk.js';
import { insertTicketEvent } from '../../store/tickets.js';
import { HttpError } from '../errors.js';
import { hasRole, userOf } from './auth.js';
import { body, limit, positiveId, text } from './input.js';
import { canAct, seesEveryTicket } from './ticket-access.js';
import { queueTickets } from './ticket-query.js';

export interface DeskRouteDeps {
  readonly core: Core;
  readonly staff: StaffService;
}

/** Alerts that ring in the dashboard (the rest are listed quietly). */
export const LOUD_ALERT_KINDS: readonly string[] = ['integrity_report', 'sla_breach', 'sla_supervisor'];

const NOTE_MAX_CHARS = 2000;

export function registerDeskRoutes(app: FastifyInstance, { core, staff }: DeskRouteDeps): void {
  const { db, tickets, bus, clock } = core;
  const nameOf = (id: number | null): string | null => {
    if (id === null) return null;
    const account = staff.get(id);
    return account ? (account.displayName ?? account.username) : null;
  };

  /** Alerts an officer may see: staff alerts for everyone, supervisor alerts for supervisors and admins. */
  const visibleAlerts = (account: StaffAccount, max: number) => {
    const supervisor = hasRole(account, 'supervisor');
    return core.alerts
      .recent(max * (supervisor ? 1 : 4))
      .filter((a) => supervisor || a.audience === 'staff')
      .slice(0, max);
  };

  app.get('/api/alerts', async (request) => {
    const user = userOf(request);
    const q = request.query as Record<string, unknown>;
    const alerts = visibleAlerts(user.account, limit(q['limit'], 50, 200));
    const seen = seenAlertIds(db, user.account.id, alerts.map((a) => a.id));
    return {
      alerts: alerts.map((a) => ({
        id: a.id,
        kind: a.kind,
        audience: a.audience,
        ticketId: a.ticketId,
        text: a.text,
        createdAt: a.createdAt.toISOString(),
        seen: seen.has(a.id),
        loud: LOUD_ALERT_KINDS.includes(a.kind),
      })),
      unseen: alerts.filter((a) => !seen.has(a.id)).length,
    };
  });

  /** `{ids: [..]}` marks those alerts seen; `{all: true}` every alert the officer can see now. */
  app.post('/api/alerts/seen', async (request) => {
    const user = userOf(request);
    const input = body(request);
    const visible = visibleAlerts(user.account, 200);
    const allowed = new Set(visible.map((a) => a.id));
    let ids: number[];
    if (input['all'] === true) ids = [...allowed];
    else if (Array.isArray(input['ids']) && input['ids'].length > 0 && input['ids'].length <= 200) {
      ids = input['ids'].map((id) => positiveId(id, 'ids'));
      if (ids.some((id) => !allowed.has(id))) throw new HttpError('NOT_FOUND', 'no such alert');
    } else throw new HttpError('VALIDATION', 'send ids (a list of alert ids) or all: true');
    return { marked: markAlertsSeen(db, user.account.id, ids, clock.now()) };
  });

  /** Active colleagues, for "assign to" (names only; the account list itself is for supervisors). */
  app.get('/api/colleagues', async () => ({
    colleagues: staff
      .list()
      .filter((a) => !a.disabled)
      .map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role })),
  }));

  // --- take-over requests ----------------------------------------------------------------

  const requestJson = (r: TakeoverRequest) => {
    const ticket = tickets.get(r.ticketId);
    return {
      id: r.id,
      ticketId: r.ticketId,
      ref: ticket.ref,
      requesterId: r.requesterId,
      requester: nameOf(r.requesterId),
      holderId: ticket.assigneeId,
      holder: nameOf(ticket.assigneeId),
      note: r.note,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
    };
  };

  const announce = (ticketId: number, change: string): void => bus.publish({ type: 'ticket.changed', ticketId, change });

  /** An officer asks to take over a colleague's ticket (one pending request per officer and ticket). */
  app.post('/api/tickets/:id/takeover-requests', async (request, reply) => {
    const user = userOf(request);
    const ticket = tickets.get(positiveId((request.params as { id: string }).id));
    if (ticket.status === 'closed') throw new HttpError('CONFLICT', `ticket ${ticket.ref} is closed`);
    if (canAct(user.account, ticket)) throw new HttpError('CONFLICT', `ticket ${ticket.ref} is free or yours: claim it instead`);
    const input = body(request);
    const note = input['note'] === undefined || input['note'] === '' ? null : text(input['note'], 'note', 500);
    const existing = pendingTakeoverFor(db, ticket.id, user.account.id);
    if (existing) return reply.code(200).send({ request: requestJson(existing) });
    const id = db.transaction(() => {
      const now = clock.now();
      const requestId = insertTakeoverRequest(db, { ticketId: ticket.id, requesterId: user.account.id, holderId: ticket.assigneeId, note }, now);
      insertTicketEvent(db, { ticketId: ticket.id, actor: 'staff', staffId: user.account.id, type: 'takeover_requested', data: { requestId } }, now);
      return requestId;
    })();
    announce(ticket.id, 'takeover_requested');
    return reply.code(201).send({ request: requestJson(getTakeoverRequest(db, id)!) });
  });

  /** Pending requests that concern me: on tickets I hold, or mine; supervisors see all. */
  app.get('/api/takeover-requests', async (request) => {
    const user = userOf(request);
    const list = listPendingTakeovers(db, { id: user.account.id, everything: seesEveryTicket(user.account) });
    return { requests: list.map(requestJson) };
  });

  const decidable = (rawId: unknown): { request: TakeoverRequest; ticket: Ticket } => {
    const found = getTakeoverRequest(db, positiveId(rawId));
    if (!found) throw new HttpError('NOT_FOUND', 'no such take-over request');
    if (found.status !== 'pending') throw new HttpError('CONFLICT', 'this request was already decided');
    return { request: found, ticket: tickets.get(found.ticketId) };
  };

  /** The holder or a supervisor accepts: the ticket moves to the requester; other requests on it end. */
  app.post('/api/takeover-requests/:id/accept', async (request) => {
    const user = userOf(request);
    const { request: found, ticket } = decidable((request.params as { id: string }).id);
    const holder = ticket.assigneeId === user.account.id;
    if (!holder && !seesEveryTicket(user.account)) throw new HttpError('FORBIDDEN', 'only the holder of the ticket or a supervisor decides');
    const requester = staff.get(found.requesterId);
    if (!requester || requester.disabled) throw new HttpError('CONFLICT', 'the requesting account is disabled');
    db.transaction(() => {
      const now = clock.now();
      decideTakeover(db, found.id, 'accepted', user.account.id, now);
      closeOtherTakeovers(db, ticket.id, found.id, user.account.id, now);
      insertTicketEvent(db, { ticketId: ticket.id, actor: 'staff', staffId: user.account.id, type: 'takeover_accepted', data: { requestId: found.id, to: found.requesterId } }, now);
      tickets.assign(ticket.id, found.requesterId, { type: 'staff', staffId: user.account.id });
    })();
    return { request: requestJson(getTakeoverRequest(db, found.id)!) };
  });

  /** The holder or a supervisor declines; the requester may withdraw her own request. */
  const decline = (status: 'declined' | 'withdrawn') => async (request: { params: unknown; body: unknown }) => {
    const user = userOf(request as Parameters<typeof userOf>[0]);
    const { request: found, ticket } = decidable((request.params as { id: string }).id);
    const allowed =
      status === 'withdrawn' ? found.requesterId === user.account.id : ticket.assigneeId === user.account.id || seesEveryTicket(user.account);
    if (!allowed) throw new HttpError('FORBIDDEN', status === 'withdrawn' ? 'only the requester withdraws a request' : 'only the holder of the ticket or a supervisor decides');
    db.transaction(() => {
      const now = clock.now();
      decideTakeover(db, found.id, status, user.account.id, now);
      insertTicketEvent(db, { ticketId: ticket.id, actor: 'staff', staffId: user.account.id, type: `takeover_${status}`, data: { requestId: found.id, to: found.requesterId } }, now);
    })();
    announce(ticket.id, `takeover_${status}`);
    return { request: requestJson(getTakeoverRequest(db, found.id)!) };
  };
  app.post('/api/takeover-requests/:id/decline', decline('declined'));
  app.post('/api/takeover-requests/:id/withdraw', decline('withdrawn'));

  // --- notes about a contact ---------------------------------------------------------------

  /**
   * A note about the applicant (not one ticket), shown in the contact panel of every ticket
   * of theirs the officer may act on. Writing one needs that too: a supervisor, or an
   * officer who may act on one of the contact's tickets.
   */
  app.post('/api/contacts/:id/notes', async (request, reply) => {
    const user = userOf(request);
    const contactId = positiveId((request.params as { id: string }).id);
    if (!contactExists(db, contactId)) throw new HttpError('NOT_FOUND', 'no such contact');
    const mayWrite = seesEveryTicket(user.account) || listContactTickets(db, contactId, 500).some((t) => canAct(user.account, t));
    if (!mayWrite) throw new HttpError('FORBIDDEN', "this applicant's tickets are handled by another officer");
    const note = text(body(request)['text'], 'text', NOTE_MAX_CHARS).trim();
    const id = addContactNote(db, { contactId, staffId: user.account.id, text: note }, clock.now());
    return reply.code(201).send({ note: { id, text: note, staffName: nameOf(user.account.id), createdAt: clock.now().toISOString() } });
  });

  // --- the tab title -----------------------------------------------------------------------

  /** What waits for me: active tickets (free or mine) with unread applicant messages, unseen alerts, take-over requests. */
  app.get('/api/desk/summary', async (request) => {
    const user = userOf(request);
    const mine = queueTickets(db, { status: ACTIVE_TICKET_STATUSES, visibleTo: user.account.id, limit: 500 });
    const unread = unreadCounts(db, user.account.id, mine.map((t) => t.id));
    const alerts = visibleAlerts(user.account, 200);
    const seen = seenAlertIds(db, user.account.id, alerts.map((a) => a.id));
    const requests = listPendingTakeovers(db, { id: user.account.id, everything: seesEveryTicket(user.account) }).filter(
      (r) => r.requesterId !== user.account.id,
    );
    return {
      unreadTickets: unread.size,
      unreadMessages: [...unread.values()].reduce((a, b) => a + b, 0),
      unseenAlerts: alerts.filter((a) => !seen.has(a.id)).length,
      takeoverRequests: requests.length,
    };
  });
}
