/**
 * People's names from Meta's profile APIs, fetched once per person after their message was
 * stored (never before: intake does not wait for it):
 *
 * - Messenger: `GET /{PSID}?fields=first_name,last_name` with the Page token;
 * - Instagram: `GET /{IGSID}?fields=name,username` with the Instagram token.
 *
 * Not asked when the core already has a name. A failed lookup (a person's privacy
 * settings, a permission not granted yet, Meta down) is logged at debug level and tried
 * once more at that person's next message, at least 10 minutes later; then no more in
 * this run. Nothing is thrown: a name is a convenience.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { InboundSink } from '../channel.js';
import { describeFailure } from './errors.js';
import type { GraphClient } from './graph.js';

export const PROFILE_RETRY_AFTER_MS = 10 * 60_000;
/** People remembered per run (attempts, in-flight lookups); the oldest are forgotten beyond. */
const REMEMBERED = 10_000;

export interface ProfileNames {
  /** Starts a lookup for this person when one is wanted; resolves when it ended (callers do not wait). */
  learn(sink: InboundSink, senderId: string): Promise<void>;
}

export interface ProfileNamesOptions {
  readonly kind: 'messenger' | 'instagram';
  readonly graph: GraphClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly retryAfterMs?: number;
}

interface Attempts {
  count: number;
  lastAt: number;
  inFlight: boolean;
  done: boolean;
}

export function createProfileNames(options: ProfileNamesOptions): ProfileNames {
  const { kind, graph, clock, log } = options;
  const retryAfterMs = options.retryAfterMs ?? PROFILE_RETRY_AFTER_MS;
  const attempts = new Map<string, Attempts>();

  const remember = (senderId: string, state: Attempts): void => {
    attempts.delete(senderId);
    attempts.set(senderId, state);
    if (attempts.size > REMEMBERED) {
      const oldest = attempts.keys().next().value;
      if (oldest !== undefined) attempts.delete(oldest);
    }
  };

  async function lookup(senderId: string): Promise<{ displayName?: string; username?: string } | string> {
    const fields = kind === 'messenger' ? 'first_name,last_name' : 'name,username';
    const result = await graph.get(encodeURIComponent(senderId), { fields });
    if (!result.ok) return describeFailure(result.failure);
    const text = (key: string): string | undefined => {
      const value = result.body[key];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const displayName =
      kind === 'messenger' ? [text('first_name'), text('last_name')].filter((p) => p !== undefined).join(' ') || undefined : (text('name') ?? text('username'));
    const username = kind === 'instagram' ? text('username') : undefined;
    if (displayName === undefined && username === undefined) return 'the profile has no name';
    return { ...(displayName !== undefined ? { displayName } : {}), ...(username !== undefined ? { username } : {}) };
  }

  return {
    async learn(sink, senderId) {
      if (sink.acceptSenderProfile === undefined) return;
      const now = clock.now().getTime();
      const state = attempts.get(senderId) ?? { count: 0, lastAt: 0, inFlight: false, done: false };
      if (state.done || state.inFlight || state.count >= 2) return;
      if (state.count === 1 && now - state.lastAt < retryAfterMs) return;
      try {
        if (sink.hasSenderName?.(kind, senderId) === true) {
          remember(senderId, { ...state, done: true });
          return;
        }
      } catch (err) {
        log.debug({ err }, 'could not read whether the person has a name; looked up anyway');
      }
      const current: Attempts = { count: state.count + 1, lastAt: now, inFlight: true, done: false };
      remember(senderId, current);
      try {
        const profile = await lookup(senderId);
        if (typeof profile === 'string') {
          log.debug({ error: profile, attempt: current.count }, `${kind} profile name not available`);
          return;
        }
        await sink.acceptSenderProfile({ channel: kind, externalId: senderId, ...profile });
        current.done = true;
      } catch (err) {
        log.debug({ err, attempt: current.count }, `${kind} profile name not stored`);
      } finally {
        current.inFlight = false;
      }
    },
  };
}
