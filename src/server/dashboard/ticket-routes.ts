/**
 * Ticket JSON API: the queue (with search, unread counts and each ticket's last message),
 * one ticket with the part of the applicant's history the officer may see and the contact
 * panel (ticket-access.ts), and the actions (claim, release, assign, reply, note, status,
 * priority/SERVQUAL). Every change goes through TicketService, which records who did it in
 * ticket_events; every opening of a ticket goes to the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHANNEL_NAMES } from '../../../channels/channel.js';
import type { Core } from '../../core.js';
import { ANSWERED_VIA, TICKET_ORIGINS, TICKET_PRIORITIES, TICKET_STATUSES, ACTIVE_TICKET_STATUSES, type Ticket, type TicketStatus } from '../../domain.js';
import { CONVERSATIONAL_INTENT_IDS, SERVQUAL_DIMENSIONS, type Language } from '../../knowledge/types.js';
import { renderAnswer } from '../../knowledge/render.js';
import type { SlaPolicy } from '../../sla/policy.js';
import type { StaffService } from '../../staff.js';
import { maskIdentifier, maskPersonalData } from '../../privacy.js';
import { getConversation, getContactSummary } from '../../store/conversations.js';
import { listContactMessages } from '../../store/messages.js';
import {
  lastMessageIdOf,
  lastPublicMessages,
  listContactIdentities,
  listContactNotes,
  listContactTickets,
  listTicketTakeovers,
  markTicketRead,
  searchTicketIds,
  unreadCounts,
} from '../../store/staff-desk.js';
import { listTicketEvents } from '../../store/tickets.js';
import { attachmentsOfMessages } from '../../store/ticket-media.js';
import { MAX_STORED_TEXT_CHARS } from '../../text-limits.js';
import { HttpError } from '../errors.js';
import type { AuditLog } from './audit.js';
import { userOf, type DashboardUser } from './auth.js';
import { body, limit, oneOf, optionalOneOf, positiveId, text } from './input.js';
import { attachmentView, registerAttachmentRoute } from './attachment-routes.js';
import { accessOf, assertCanAct, canAct, visibleHistory } from './ticket-access.js';
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
  registerAttachmentRoute(app, { core });
  const intentLabel = (intent: string): string | null => core.knowledge().intents.get(intent)?.label.id ?? null;
  const views = (user: DashboardUser) => createViews({ db, staff, policy, now: core.clock.now(), viewer: user.account, intentLabel });

  /**
   * For channels that answer only for a while after the applicant's last message (Messenger,
   * Instagram: 24 hours, and 7 days for an officer with the HUMAN_AGENT tag): until when a
   * reply on the ticket's conversation can go. Null for channels without such a window.
   */
  const channelWindowOf = (ticket: Ticket) => {
    const channel = core.channels().find((c) => c.name === ticket.channel);
    if (channel?.replyWindow === undefined) return null;
    const lastInboundAt = getConversation(db, ticket.conversationId)?.lastInboundAt ?? null;
    const window = channel.replyWindow(lastInboundAt);
    const iso = (at: Date | null): string | null => (at === null ? null : at.toISOString());
    return { lastInboundAt: iso(lastInboundAt), closesAt: iso(window.closesAt), tagClosesAt: iso(window.tagClosesAt), now: core.clock.now().toISOString() };
  };

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

  /** The ticket, if it exists (every officer may read every ticket: ticket-access.ts). */
  const findTicket = (rawId: unknown): Ticket => tickets.get(positiveId(rawId));

  /** The ticket, if this officer may act on it (404 before 403: ids are not secret, contents are). */
  const actionableTicket = (user: DashboardUser, rawId: unknown): Ticket => {
    const ticket = findTicket(rawId);
    assertCanAct(user.account, ticket);
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

  /** A queue card's excerpt: one line, at most 140 characters. */
  const excerpt = (text: string): string => {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length <= 140 ? flat : `${flat.slice(0, 139)}…`;
  };

  app.get('/api/tickets', async (request) => {
    const user = userOf(request);
    const q = request.query as Record<string, unknown>;
    const priority = optionalOneOf(q['priority'], TICKET_PRIORITIES, 'priority');
    const channel = optionalOneOf(q['channel'], CHANNEL_NAMES, 'channel');
    const origin = optionalOneOf(q['origin'], TICKET_ORIGINS, 'origin');
    const assignee = assigneeFilter(q['assignee'], user);
    const max = limit(q['limit'], 200, 500);
    const search = typeof q['q'] === 'string' ? q['q'].trim().slice(0, 100) : '';
    const filter = {
      // A search looks through every status unless one is asked for.
      status: search !== '' && (q['status'] === undefined || q['status'] === '') ? [] : statusFilter(q['status']),
      ...(priority ? { priority } : {}),
      ...(channel ? { channel } : {}),
      ...(origin ? { origin } : {}),
      ...(assignee !== undefined ? { assignee } : {}),
      limit: max,
    };
    // Team view: staff see their colleagues' tickets too, read-only (ticket-access.ts).
    const list = search === '' ? queueTickets(db, filter) : queueTickets(db, { ...filter, ids: searchTicketIds(db, search, 500) });
    const v = views(user);
    const ids = list.map((t) => t.id);
    const unread = unreadCounts(db, user.account.id, ids);
    const last = lastPublicMessages(db, ids);
    return {
      tickets: list.map((t) => {
        const message = last.get(t.id);
        const readOnly = !canAct(user.account, t);
        return {
          ...v.ticket(t),
          unread: unread.get(t.id) ?? 0,
          lastMessage: message
            ? { author: message.author, text: excerpt(readOnly ? maskPersonalData(message.text) : message.text), at: message.createdAt.toISOString() }
            : null,
        };
      }),
    };
  });

  /**
   * The contact panel: channels, past tickets and notes about the contact. On a ticket the
   * officer may only read, identifiers are masked and the notes about the contact left out.
   */
  const contactPanel = (user: DashboardUser, ticket: Ticket) => {
    const full = canAct(user.account, ticket);
    const summary = getContactSummary(db, ticket.contactId);
    const v = views(user);
    return {
      id: ticket.contactId,
      displayName: summary.displayName,
      channels: [...new Set(summary.identities.map((i) => i.channel))],
      identities: listContactIdentities(db, ticket.contactId).map((i) => ({
        channel: i.channel,
        displayName: i.displayName,
        phone: i.phone === null ? null : full ? i.phone : maskIdentifier(i.phone),
        username: i.username,
      })),
      tickets: listContactTickets(db, ticket.contactId)
        .filter((t) => t.id !== ticket.id)
        .map((t) => {
          const view = v.ticket(t);
          return { id: view.id, ref: view.ref, status: view.status, intentLabel: view.intentLabel, summary: view.summary, access: view.access, createdAt: view.createdAt, assignee: view.assignee };
        }),
      notes: full
        ? listContactNotes(db, ticket.contactId).map((n) => ({ id: n.id, text: n.text, staffName: n.staffId === null ? null : (staff.get(n.staffId)?.displayName ?? staff.get(n.staffId)?.username ?? null), createdAt: n.createdAt.toISOString() }))
        : null,
    };
  };

  app.get('/api/tickets/:id', async (request) => {
    const user = userOf(request);
    const ticket = findTicket((request.params as { id: string }).id);
    recordView(user, ticket, request.ip);
    // Opening the page reads everything on it: the unread count of this ticket drops to 0.
    markTicketRead(db, user.account.id, ticket.id, lastMessageIdOf(db, ticket.id), core.clock.now());
    const v = views(user);
    // The history across channels, limited to what this officer may see (ticket-access.ts).
    const history = visibleHistory(user.account, ticket, listContactMessages(db, ticket.contactId), (id) => tickets.get(id));
    const access = accessOf(user.account, ticket);
    // Photos and voice notes (#22): shown and played on the page, bytes only where not masked.
    const files = attachmentsOfMessages(db, history.messages.map((shown) => shown.message.id));
    return {
      ticket: { ...v.ticket(ticket), language: getConversation(db, ticket.conversationId)?.language ?? 'id' },
      access,
      contact: contactPanel(user, ticket),
      messages: history.messages.map((shown) => ({
        ...v.message(shown.message, shown.masked),
        attachments: (files.get(shown.message.id) ?? []).map((a) => attachmentView(a, shown.message, ticket.id, shown.masked)),
      })),
      hiddenMessages: history.hidden,
      events: listTicketEvents(db, ticket.id).map(v.event),
      channelWindow: channelWindowOf(ticket),
      takeoverRequests: listTicketTakeovers(db, ticket.id)
        .filter((r) => access === 'full' || r.requesterId === user.account.id)
        .map((r) => ({ id: r.id, requester: staff.get(r.requesterId)?.displayName ?? staff.get(r.requesterId)?.username ?? null, requesterId: r.requesterId, note: r.note, createdAt: r.createdAt.toISOString() })),
    };
  });

  const respond = (user: DashboardUser, ticket: Ticket) => ({ ticket: views(user).ticket(ticket) });

  app.post('/api/tickets/:id/claim', async (request) => {
    const user = userOf(request);
    const ticket = actionableTicket(user, (request.params as { id: string }).id);
    // Taking over a colleague's ticket is a supervisor's call (staff ask: a take-over request).
    return respond(user, tickets.claim(ticket.id, user.account.id));
  });

  app.post('/api/tickets/:id/release', async (request) => {
    const user = userOf(request);
    const ticket = actionableTicket(user, (request.params as { id: string }).id);
    return respond(user, tickets.release(ticket.id, user.account.id));
  });

  /**
   * Hands the ticket to a colleague: a supervisor for any ticket, an officer for a ticket she
   * holds (or a free one). The colleague must have an active account.
   */
  app.post('/api/tickets/:id/assign', async (request) => {
    const user = userOf(request);
    const ticket = actionableTicket(user, (request.params as { id: string }).id);
    const input = body(request);
    const raw = input['to'];
    const target =
      typeof raw === 'number' ? staff.get(raw) : typeof raw === 'string' ? (/^\d+$/.test(raw) ? staff.get(Number(raw)) : staff.findByUsername(raw)) : null;
    if (!target || target.disabled) throw new HttpError('VALIDATION', 'to must be the username or id of an active staff account');
    return respond(user, tickets.assign(ticket.id, target.id, { type: 'staff', staffId: user.account.id }));
  });

  app.post('/api/tickets/:id/messages', async (request, reply) => {
    const user = userOf(request);
    const ticket = actionableTicket(user, (request.params as { id: string }).id);
    const input = body(request);
    const message = text(input['text'], 'text', MAX_STORED_TEXT_CHARS);
    if (input['internal'] !== undefined && typeof input['internal'] !== 'boolean') throw new HttpError('VALIDATION', 'internal must be true or false');
    // #21: an answer given outside SAPA (phone call, letter, LAPOR! panel) is recorded, not sent.
    const answeredVia = optionalOneOf(input['answeredVia'], ANSWERED_VIA, 'answeredVia');
    if (answeredVia !== undefined && input['internal'] === true) throw new HttpError('VALIDATION', 'answeredVia is for public answers, not internal notes');
    // A public reply goes to the applicant on their channel through the outbox.
    const result =
      input['internal'] === true
        ? tickets.addNote(ticket.id, user.account.id, message)
        : answeredVia !== undefined
          ? tickets.answerOutside(ticket.id, user.account.id, message, answeredVia)
          : tickets.staffReply(ticket.id, user.account.id, message);
    return reply.code(201).send({ messageId: result.messageId, ...respond(user, result.ticket) });
  });

  const setStatus = (to: TicketStatus) => async (request: FastifyRequest) => {
    const user = userOf(request);
    const ticket = actionableTicket(user, (request.params as { id: string }).id);
    return respond(user, tickets.setStatus(ticket.id, to, { type: 'staff', staffId: user.account.id }));
  };
  app.post('/api/tickets/:id/resolve', setStatus('resolved'));
  app.post('/api/tickets/:id/close', setStatus('closed'));
  app.post('/api/tickets/:id/reopen', setStatus('open'));
  app.post('/api/tickets/:id/pending', setStatus('pending'));

  app.patch('/api/tickets/:id', async (request) => {
    const user = userOf(request);
    const ticket = actionableTicket(user, (request.params as { id: string }).id);
    const input = body(request);
    const priority = optionalOneOf(input['priority'], TICKET_PRIORITIES, 'priority');
    const servqual = optionalOneOf(input['servqual'], SERVQUAL_DIMENSIONS, 'servqual');
    if (!priority && !servqual) throw new HttpError('VALIDATION', 'send priority and/or servqual');
    const actor = { type: 'staff', staffId: user.account.id } as const;
    let updated = ticket;
    if (priority) updated = tickets.setPriority(ticket.id, priority, actor);
    if (servqual) updated = tickets.setServqual(ticket.id, servqual, actor);
    return respond(user, updated);
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
