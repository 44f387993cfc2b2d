/**
 * Server-sent events over a hijacked Fastify reply: the headers proxies need, a retry
 * hint, heartbeats that keep idle connections open, and one close path that runs the
 * caller's cleanup exactly once (client gone, socket error, or the server ending it).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SSE_HEARTBEAT_MS = 25_000;

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
    else raw.write(': ping\n\n');
  }, options.heartbeatMs ?? SSE_HEARTBEAT_MS);
  request.raw.on('close', close);
  raw.on('error', close);
  return {
    send(event, data, id) {
      if (!closed) raw.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
    get closed() {
      return closed;
    },
  };
}
