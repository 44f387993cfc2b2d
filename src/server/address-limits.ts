/**
 * Limits per client address that hold before a request body is read: requests per
 * minute (counted in `onRequest`), open connections (counted at accept, only when SAPA
 * faces the internet directly: behind a trusted proxy every connection comes from the
 * proxy, which then has to limit), and a JSON parser that refuses deep nesting before
 * JSON.parse spends time on it.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import { addressKey } from './web-identity.js';

const WINDOW_MS = 60_000;
/** Above this many remembered addresses, expired windows are swept at once. */
const SWEEP_AT = 10_000;

export interface RequestCounter {
  /** Counts one request from `address`; false when it is over the limit for this minute. */
  take(address: string): boolean;
  /** Seconds until `address` may send again. */
  retryAfterSeconds(address: string): number;
  readonly size: number;
}

/** Fixed one-minute windows per address; memory stays bounded by sweeping expired windows. */
export function createRequestCounter(perMinute: number, now: () => number = Date.now): RequestCounter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  const sweep = (at: number): void => {
    for (const [address, window] of windows) if (at - window.startedAt >= WINDOW_MS) windows.delete(address);
  };
  return {
    take(address) {
      const at = now();
      let window = windows.get(address);
      if (window === undefined || at - window.startedAt >= WINDOW_MS) {
        if (window === undefined && windows.size >= SWEEP_AT) sweep(at);
        window = { startedAt: at, count: 0 };
        windows.set(address, window);
      }
      window.count += 1;
      return window.count <= perMinute;
    },
    retryAfterSeconds(address) {
      const window = windows.get(address);
      return window === undefined ? 0 : Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now()) / 1000));
    },
    get size() {
      return windows.size;
    },
  };
}

/** The `onRequest` hook: 429 with `Connection: close` (the unread body is never read) over the limit. */
export function requestLimitHook(counter: RequestCounter) {
  return async function limitRequests(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // An IPv6 subscriber counts by their /64, or rotating addresses would dodge the limit.
    const address = addressKey(request.ip);
    if (counter.take(address)) return;
    reply.header('connection', 'close');
    reply.header('retry-after', String(counter.retryAfterSeconds(address)));
    throw new HttpError('RATE_LIMITED', 'too many requests from this address; please wait a minute');
  };
}

/** Destroys a new connection when its address (an IPv6 address by its /64) already holds `max` open ones. */
export function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    // Counted as the request and stream limits count: one subscriber's /64 is one address.
    const address = addressKey(socket.remoteAddress ?? '');
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * How deeply `text` nests arrays and objects, stopping as soon as it passes `max`
 * (so a 4 MB "[[[[..." costs one quick scan, not a parse). Strings are skipped.
 */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/** Replaces the JSON parser with one that checks nesting first, keeping Fastify's prototype-poisoning protection. */
export function useDepthLimitedJson(app: FastifyInstance, maxDepth: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestingExceeds(text, maxDepth)) {
      done(new HttpError('BAD_REQUEST', `the JSON body nests deeper than ${maxDepth} levels`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
