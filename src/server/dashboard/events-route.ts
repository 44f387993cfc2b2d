/**
 * GET /api/events: live updates for the queue and ticket pages as server-sent events.
 * Events carry ids only (ticket id, change kind); pages fetch what they show through the
 * JSON API, where the access rules apply. The stream ends when the session does.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import type { DomainEvent } from '../../events.js';
import { hasRole, userOf } from './auth.js';
import type { SessionStore } from './sessions.js';

const HEARTBEAT_MS = 25_000;

interface Outgoing {
  readonly event: 'ticket' | 'message' | 'alert';
  readonly data: Readonly<Record<string, unknown>>;
}

export function registerEventsRoute(app: FastifyInstance, deps: { core: Core; sessions: SessionStore }): void {
  const { core, sessions } = deps;
  const ticketOfMessage = core.db.prepare<[number], { ticket_id: number | null }>('SELECT ticket_id FROM messages WHERE id = ?');
  const audienceOf = core.db.prepare<[number], { audience: string }>('SELECT audience FROM staff_alerts WHERE id = ?');

  const translate = (event: DomainEvent, supervisor: boolean): Outgoing | null => {
    switch (event.type) {
      case 'ticket.opened':
        return { event: 'ticket', data: { ticketId: event.ticketId, change: 'opened' } };
      case 'ticket.changed':
        return { event: 'ticket', data: { ticketId: event.ticketId, change: event.change } };
      case 'message.inbound':
      case 'message.outbound':
      case 'message.delivery': {
        const ticketId = event.type === 'message.inbound' ? event.ticketId : (ticketOfMessage.get(event.messageId)?.ticket_id ?? null);
        return ticketId === null ? null : { event: 'message', data: { ticketId, messageId: event.messageId } };
      }
      case 'alert.raised':
        if (!supervisor && audienceOf.get(event.alertId)?.audience !== 'staff') return null;
        return { event: 'alert', data: { alertId: event.alertId, kind: event.kind, ticketId: event.ticketId } };
    }
  };

  app.get('/api/events', (request, reply) => {
    const { session, account } = userOf(request);
    const supervisor = hasRole(account, 'supervisor');
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    let counter = 0;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    };
    const unsubscribe = core.bus.subscribe((event) => {
      if (closed) return;
      if (!sessions.isLive(session.id)) return close();
      const out = translate(event, supervisor);
      if (!out) return;
      counter += 1;
      raw.write(`id: ${counter}\nevent: ${out.event}\ndata: ${JSON.stringify(out.data)}\n\n`);
    });
    const heartbeat = setInterval(() => (sessions.isLive(session.id) ? raw.write(': ping\n\n') : close()), HEARTBEAT_MS);
    request.raw.on('close', close);
    raw.on('error', close);
  });
}
