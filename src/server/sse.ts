/**
 * Server-sent events over a hijacked Fastify reply: the headers proxies need, a retry
 * hint, heartbeats (comment lines) that keep idle connections open, an idle timeout
 * (a stream that carried no event for a long time is ended; the browser reconnects and
 * resumes with Last-Event-ID), and one close path that runs the caller's cleanup exactly
 * once (client gone, socket error, or the server ending it).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SSE_HEARTBEAT_MS = 25_000;
export const SSE_IDLE_TIMEOUT_MS = 15 * 60_000;

export interface EventStream {
  /** Writes one event; ignored once the stream is closed. */
  send(event: string, data: unknown, id: number): void;
  close(): void;
  readonly closed: boolean;
}

export interface EventStreamOptions {
  /** Runs once when the stream ends, whoever ends it. */
  readonly onClose: () => void;
  /** Checked at every heartbeat; false ends the stream (e.g. the session expired). */
  readonly stillWanted?: () => boolean;
  readonly heartbeatMs?: number;
  /** No event for this long ends the stream (checked at each heartbeat). */
  readonly idleTimeoutMs?: number;
}

export function openEventStream(request: FastifyRequest, reply: FastifyReply, options: EventStreamOptions): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 3000\n\n');
  const idleTimeoutMs = options.idleTimeoutMs ?? SSE_IDLE_TIMEOUT_MS;
  let lastEventAt = Date.now();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    options.onClose();
    raw.end();
  };
  const heartbeat = setInterval(() => {
    if (options.stillWanted && !options.stillWanted()) close();
    else if (Date.now() - lastEventAt >= idleTimeoutMs) close();
    else raw.write(': ping\n\n');
  }, options.heartbeatMs ?? SSE_HEARTBEAT_MS);
  request.raw.on('close', close);
  raw.on('error', close);
  return {
    send(event, data, id) {
      if (closed) return;
      lastEventAt = Date.now();
      raw.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
    get closed() {
      return closed;
    },
  };
}
