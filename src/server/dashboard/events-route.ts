/**
 * GET /api/events: live updates for the queue and ticket pages as server-sent events.
 * Events carry ids only (ticket id, change kind, the holder's staff id, whether a message
 * came from the applicant); pages fetch what they show through the JSON API, where the
 * access rules apply. The holder's id lets a page ring only for free or own tickets. The stream ends when the session does; each
 * session holds at most SSE_STREAMS_PER_SESSION of them (see stream-limits.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import type { DomainEvent } from '../../events.js';
import { hasRole, userOf } from './auth.js';
import { openLimitedStream } from '../stream-limits.js';
import type { SessionStore } from './sessions.js';

interface Outgoing {
  readonly event: 'ticket' | 'message' | 'alert';
  readonly data: Readonly<Record<string, unknown>>;
}

export function registerEventsRoute(app: FastifyInstance, deps: { core: Core; sessions: SessionStore }): void {
  const { core, sessions } = deps;
  const ticketOfMessage = core.db.prepare<[number], { ticket_id: number | null }>('SELECT ticket_id FROM messages WHERE id = ?');
  const audienceOf = core.db.prepare<[number], { audience: string }>('SELECT audience FROM staff_alerts WHERE id = ?');
  const assigneeOf = core.db.prepare<[number], { assignee_id: number | null }>('SELECT assignee_id FROM tickets WHERE id = ?');
  const holder = (ticketId: number): number | null => assigneeOf.get(ticketId)?.assignee_id ?? null;

  const translate = (event: DomainEvent, supervisor: boolean): Outgoing | null => {
    switch (event.type) {
      case 'ticket.opened':
        return { event: 'ticket', data: { ticketId: event.ticketId, change: 'opened', assigneeId: holder(event.ticketId) } };
      case 'ticket.changed':
        return { event: 'ticket', data: { ticketId: event.ticketId, change: event.change, assigneeId: holder(event.ticketId) } };
      case 'message.inbound':
      case 'message.outbound':
      case 'message.delivery': {
        const ticketId = event.type === 'message.inbound' ? event.ticketId : (ticketOfMessage.get(event.messageId)?.ticket_id ?? null);
        if (ticketId === null) return null;
        return { event: 'message', data: { ticketId, messageId: event.messageId, inbound: event.type === 'message.inbound', assigneeId: holder(ticketId) } };
      }
      case 'alert.raised':
        if (!supervisor && audienceOf.get(event.alertId)?.audience !== 'staff') return null;
        return { event: 'alert', data: { alertId: event.alertId, kind: event.kind, ticketId: event.ticketId } };
    }
  };

  app.get('/api/events', (request, reply) => {
    const { session, account } = userOf(request);
    const supervisor = hasRole(account, 'supervisor');
    let counter = 0;
    let unsubscribe = (): void => undefined;
    // A few per session (tabs; the oldest is replaced), within the server's total.
    const stream = openLimitedStream(request, reply, {
      kind: 'dashboard',
      owner: String(session.id),
      onClose: () => unsubscribe(),
      // The stream ends with the session (logout, expiry, disabled account).
      stillWanted: () => sessions.isLive(session.id),
    });
    unsubscribe = core.bus.subscribe((event) => {
      if (stream.closed) return;
      if (!sessions.isLive(session.id)) return stream.close();
      const out = translate(event, supervisor);
      if (!out) return;
      counter += 1;
      stream.send(out.event, out.data, counter);
    });
  });
}
