/**
 * Ticket JSON API: the queue, one ticket with the part of the applicant's history the
 * officer may see (ticket-access.ts), and the actions (claim, release, reply, note,
 * status, priority/SERVQUAL). Every change goes through TicketService, which records who
 * did it in ticket_events; every opening of a ticket goes to the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHANNEL_NAMES } from '../../../channels/channel.js';
import type { Core } from '../../core.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, ACTIVE_TICKET_STATUSES, type Ticket, type TicketStatus } from '../../domain.js';
import { CONVERSATIONAL_INTENT_IDS, SERVQUAL_DIMENSIONS, type Language } from '../../knowledge/types.js';
import { renderAnswer } from '../../knowledge/render.js';
import type { SlaPolicy } from '../../sla/policy.js';
import type { StaffService } from '../../staff.js';
import { getConversation, getContactSummary } from '../../store/conversations.js';
import { listContactMessages } from '../../store/messages.js';
import { listTicketEvents } from '../../store/tickets.js';
import { MAX_STORED_TEXT_CHARS } from '../../text-limits.js';
import { HttpError } from '../errors.js';
import type { AuditLog } from './audit.js';
import { userOf, type DashboardUser } from './auth.js';
import { body, limit, oneOf, optionalOneOf, positiveId, text } from './input.js';
import { assertCanSee, seesEveryTicket, visibleHistory } from './ticket-access.js';
import { queueTickets } from './ticket-query.js';
import { createViews } from './ticket-view.js';

export interface TicketRouteDeps {
  readonly core: Core;
  readonly staff: StaffService;
  readonly policy: SlaPolicy;
  readonly audit: AuditLog;
}

/** The page reloads the ticket on every live update: one audit entry per officer and ticket per this period. */
export const TICKET_VIEW_AUDIT_EVERY_MS = 10 * 60_000;

const STATUS_CHOICES = [...TICKET_STATUSES, 'active', 'all'] as const;
const LANGUAGES: readonly Language[] = ['id', 'en'];

export function registerTicketRoutes(app: FastifyInstance, { core, staff, policy, audit }: TicketRouteDeps): void {
  const { db, tickets } = core;
  const views = () => createViews({ db, staff, policy, now: core.clock.now() });

  const statusFilter = (raw: unknown): readonly TicketStatus[] => {
    if (raw === undefined || raw === '') return ACTIVE_TICKET_STATUSES;
    const parts = String(raw).split(',');
    const chosen = parts.map((part) => oneOf(part.trim(), STATUS_CHOICES, 'status'));
    if (chosen.includes('all')) return [];
    return [...new Set(chosen.flatMap((s) => (s === 'active' ? ACTIVE_TICKET_STATUSES : [s as TicketStatus])))];
  };

  const assigneeFilter = (raw: unknown, user: DashboardUser): number | 'none' | undefined => {
    if (raw === undefined || raw === '') return undefined;
    if (raw === 'me') return user.account.id;
    if (raw === 'none') return 'none';
    if (typeof raw === 'string' && /^\d+$/.test(raw)) return positiveId(raw, 'assignee');
    const account = typeof raw === 'string' ? staff.findByUsername(raw) : null;
    if (!account) throw new HttpError('VALIDATION', 'assignee must be me, none, or a staff username or id');
    return account.id;
  };

  /** The ticket, if this officer may see it (404 before 403: ids are not secret, contents are). */
  const visibleTicket = (user: DashboardUser, rawId: unknown): Ticket => {
    const ticket = tickets.get(positiveId(rawId));
    assertCanSee(user.account, ticket);
    return ticket;
  };

  /** Who opened which ticket, when (UU PDP accountability); a reload within the period adds nothing. */
  const recordView = (user: DashboardUser, ticket: Ticket, ip: string): void => {
    const since = core.clock.now().getTime() - TICKET_VIEW_AUDIT_EVERY_MS;
    const seen = db
      .prepare<[number, number, string], { id: number }>(
        "SELECT id FROM audit_log WHERE created_at > ? AND staff_id = ? AND action = 'ticket_viewed' AND target = ? LIMIT 1",
      )
      .get(since, user.account.id, ticket.ref);
    if (!seen) audit.record({ staffId: user.account.id, username: user.account.username, action: 'ticket_viewed', target: ticket.ref, ip, data: { ticketId: ticket.id } });
  };

  app.get('/api/tickets', async (request) => {
    const user = userOf(request);
    const q = request.query as Record<string, unknown>;
    const priority = optionalOneOf(q['priority'], TICKET_PRIORITIES, 'priority');
    const channel = optionalOneOf(q['channel'], CHANNEL_NAMES, 'channel');
    const assignee = assigneeFilter(q['assignee'], user);
    const list = queueTickets(db, {
      status: statusFilter(q['status']),
      ...(priority ? { priority } : {}),
      ...(channel ? { channel } : {}),
      ...(assignee !== undefined ? { assignee } : {}),
      ...(seesEveryTicket(user.account) ? {} : { visibleTo: user.account.id }),
      limit: limit(q['limit'], 200, 500),
    });
    const v = views();
    return { tickets: list.map(v.ticket) };
  });

  app.get('/api/tickets/:id', async (request) => {
    const user = userOf(request);
    const ticket = visibleTicket(user, (request.params as { id: string }).id);
    recordView(user, ticket, request.ip);
    const v = views();
    const contact = getContactSummary(db, ticket.contactId);
    // The history across channels, limited to what this officer may see (ticket-access.ts).
    const history = visibleHistory(user.account, ticket, listContactMessages(db, ticket.contactId), (id) => tickets.get(id));
    return {
      ticket: { ...v.ticket(ticket), language: getConversation(db, ticket.conversationId)?.language ?? 'id' },
      contact: { displayName: contact.displayName, channels: [...new Set(contact.identities.map((i) => i.channel))] },
      messages: history.messages.map(v.message),
      hiddenMessages: history.hidden,
      events: listTicketEvents(db, ticket.id).map(v.event),
    };
  });

  const respond = (ticket: Ticket) => ({ ticket: views().ticket(ticket) });

  app.post('/api/tickets/:id/claim', async (request) => {
    const user = userOf(request);
    const ticket = visibleTicket(user, (request.params as { id: string }).id);
    // Taking over a colleague's ticket is a supervisor's call; visibleTicket already refuses staff.
    return respond(tickets.claim(ticket.id, user.account.id));
  });

  app.post('/api/tickets/:id/release', async (request) => {
    const user = userOf(request);
    const ticket = visibleTicket(user, (request.params as { id: string }).id);
    return respond(tickets.release(ticket.id, user.account.id));
  });

  app.post('/api/tickets/:id/messages', async (request, reply) => {
    const user = userOf(request);
    const ticket = visibleTicket(user, (request.params as { id: string }).id);
    const input = body(request);
    const message = text(input['text'], 'text', MAX_STORED_TEXT_CHARS);
    if (input['internal'] !== undefined && typeof input['internal'] !== 'boolean') throw new HttpError('VALIDATION', 'internal must be true or false');
    // A public reply goes to the applicant on their channel through the outbox.
    const result = input['internal'] === true ? tickets.addNote(ticket.id, user.account.id, message) : tickets.staffReply(ticket.id, user.account.id, message);
    return reply.code(201).send({ messageId: result.messageId, ...respond(result.ticket) });
  });

  const setStatus = (to: TicketStatus) => async (request: FastifyRequest) => {
    const user = userOf(request);
    const ticket = visibleTicket(user, (request.params as { id: string }).id);
    return respond(tickets.setStatus(ticket.id, to, { type: 'staff', staffId: user.account.id }));
  };
  app.post('/api/tickets/:id/resolve', setStatus('resolved'));
  app.post('/api/tickets/:id/close', setStatus('closed'));
  app.post('/api/tickets/:id/reopen', setStatus('open'));
  app.post('/api/tickets/:id/pending', setStatus('pending'));

  app.patch('/api/tickets/:id', async (request) => {
    const user = userOf(request);
    const ticket = visibleTicket(user, (request.params as { id: string }).id);
    const input = body(request);
    const priority = optionalOneOf(input['priority'], TICKET_PRIORITIES, 'priority');
    const servqual = optionalOneOf(input['servqual'], SERVQUAL_DIMENSIONS, 'servqual');
    if (!priority && !servqual) throw new HttpError('VALIDATION', 'send priority and/or servqual');
    const actor = { type: 'staff', staffId: user.account.id } as const;
    let updated = ticket;
    if (priority) updated = tickets.setPriority(ticket.id, priority, actor);
    if (servqual) updated = tickets.setServqual(ticket.id, servqual, actor);
    return respond(updated);
  });

  /** Canned answers: every FAQ intent's answer, rendered with the office profile. */
  app.get('/api/canned', async (request) => {
    const q = request.query as Record<string, unknown>;
    const language = optionalOneOf(q['language'], LANGUAGES, 'language') ?? 'id';
    const kb = core.knowledge();
    const skip = new Set<string>(CONVERSATIONAL_INTENT_IDS);
    const answers = [...kb.intents.values()]
      .filter((entry) => !skip.has(entry.id))
      .map((entry) => ({ intent: entry.id, label: entry.label[language], servqual: entry.servqual, text: renderAnswer(kb, entry.id, language).text }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return { answers };
  });
}
