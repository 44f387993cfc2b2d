/**
 * Who may hold a server-sent event stream open. A stream holds a socket (a file
 * descriptor) for as long as it lives, so they are counted: one per web chat visitor
 * (a new one replaces the old: a reload or a second tab), a few per address, a few per
 * dashboard session, and a total for the whole server. A refused stream is answered at
 * once with 429 or 503 and its connection closed, so refusals cost no descriptor either.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamConfig } from '../config.js';
import { HttpError } from './errors.js';
import { openEventStream, type EventStream } from './sse.js';
import { addressKey } from './web-identity.js';

export type StreamKind = 'chat' | 'dashboard';

export interface StreamRequest {
  readonly kind: StreamKind;
  /** The web chat visitor id, or the dashboard session id. */
  readonly owner: string;
  /** The client's address (request.ip: the proxy's word only when TRUST_PROXY trusts it; IPv6 by its /64). */
  readonly address: string;
}

export interface StreamLease {
  /** What ends this stream when a newer one of the same owner replaces it. */
  onReplaced(end: () => void): void;
  /** Frees the slot; safe to call more than once. */
  release(): void;
}

export interface StreamCounts {
  readonly total: number;
  readonly chat: number;
  readonly dashboard: number;
}

export interface StreamRegistry {
  readonly settings: StreamConfig;
  /** A slot for a new stream, or an HttpError (429 per address, 503 server full) to send instead. */
  acquire(request: StreamRequest): StreamLease | HttpError;
  counts(): StreamCounts;
}

interface Entry {
  readonly kind: StreamKind;
  readonly owner: string;
  readonly address: string;
  end: (() => void) | null;
  released: boolean;
}

export function createStreamRegistry(limits: StreamConfig): StreamRegistry {
  const entries = new Set<Entry>();
  /** Streams per `${kind}:${owner}`, oldest first. */
  const byOwner = new Map<string, Entry[]>();
  /** Web chat streams per address (dashboard streams are bounded per session instead: staff share the office's address). */
  const chatByAddress = new Map<string, number>();
  let chat = 0;

  const release = (entry: Entry): void => {
    if (entry.released) return;
    entry.released = true;
    entries.delete(entry);
    const key = `${entry.kind}:${entry.owner}`;
    const owned = byOwner.get(key)?.filter((e) => e !== entry) ?? [];
    if (owned.length === 0) byOwner.delete(key);
    else byOwner.set(key, owned);
    if (entry.kind === 'chat') {
      chat -= 1;
      const left = (chatByAddress.get(entry.address) ?? 1) - 1;
      if (left <= 0) chatByAddress.delete(entry.address);
      else chatByAddress.set(entry.address, left);
    }
  };

  return {
    settings: limits,
    acquire(request) {
      const key = `${request.kind}:${request.owner}`;
      const ownerMax = request.kind === 'chat' ? 1 : limits.perSession;
      // The owner's own older streams make room first: a reload must never be refused.
      const owned = byOwner.get(key) ?? [];
      for (const old of owned.slice(0, Math.max(0, owned.length - ownerMax + 1))) {
        release(old);
        old.end?.();
      }
      if (request.kind === 'chat' && (chatByAddress.get(request.address) ?? 0) >= limits.perAddress) {
        return new HttpError('RATE_LIMITED', `too many open chat streams from this address (at most ${limits.perAddress}); close one and try again`);
      }
      if (entries.size >= limits.total) {
        return new HttpError('UNAVAILABLE', 'the server has as many open streams as it can hold; try again in a minute');
      }
      const entry: Entry = { kind: request.kind, owner: request.owner, address: request.address, end: null, released: false };
      entries.add(entry);
      byOwner.set(key, [...(byOwner.get(key) ?? []), entry]);
      if (request.kind === 'chat') {
        chat += 1;
        chatByAddress.set(request.address, (chatByAddress.get(request.address) ?? 0) + 1);
      }
      return {
        onReplaced(end) {
          entry.end = end;
        },
        release: () => release(entry),
      };
    },
    counts: () => ({ total: entries.size, chat, dashboard: entries.size - chat }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's stream slots (buildServer decorates the root instance). */
    streams: StreamRegistry;
  }
}

export interface LimitedStreamOptions {
  readonly kind: StreamKind;
  readonly owner: string;
  /** Runs once when the stream ends: closed by the client, replaced, idle, or the server stopping. */
  readonly onClose: () => void;
  readonly stillWanted?: () => boolean;
}

/**
 * Opens an event stream within the limits of the server's registry (request.server.streams),
 * or throws the 429/503 to answer instead, with `Connection: close` so the refused client's
 * socket is freed at once.
 */
export function openLimitedStream(request: FastifyRequest, reply: FastifyReply, options: LimitedStreamOptions): EventStream {
  const registry = request.server.streams;
  const lease = registry.acquire({ kind: options.kind, owner: options.owner, address: addressKey(request.ip) });
  if (lease instanceof HttpError) {
    reply.header('connection', 'close');
    reply.header('retry-after', lease.status === 429 ? '30' : '60');
    throw lease;
  }
  const stream = openEventStream(request, reply, {
    onClose: () => {
      lease.release();
      options.onClose();
    },
    heartbeatMs: registry.settings.heartbeatMs,
    idleTimeoutMs: registry.settings.idleTimeoutMs,
    ...(options.stillWanted ? { stillWanted: options.stillWanted } : {}),
  });
  lease.onReplaced(() => stream.close());
  return stream;
}
