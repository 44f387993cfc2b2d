/**
 * The edge between SAPA and instagram-private-api: the only module that calls
 * the library's client. Everything it returns is parsed into our own types
 * (wire.ts); everything it throws is the library's own error classes, which
 * errors.ts classifies.
 *
 * What it does not do: pre-login "simulation" flows (dozens of requests the
 * library can make to look like the app). Against an unmaintained app
 * version they fail often, and a session that is restored from the database
 * logs in once per account lifetime rather than once per start.
 */
import { IgApiClient } from 'instagram-private-api';
import type { CheckpointResponse } from 'instagram-private-api';
import {
  parseChallengePath,
  parseInboxPage,
  parseLoggedInUser,
  parseSentItemId,
  parseThreadPage,
  IgWireError,
  type IgAccount,
  type IgInboxPage,
  type IgThreadPage,
} from './wire.js';

export type InboxFolder = 'inbox' | 'pending';

/** Pages of one inbox folder, newest activity first; each `next()` is one request. */
export interface InboxReader {
  next(): Promise<IgInboxPage>;
  hasMore(): boolean;
}

export interface ChallengeRef {
  readonly apiPath: string;
  readonly url?: string;
}

export interface IgGateway {
  /** Loads a serialized session (cookies, authorization, device). */
  restore(serialized: string): Promise<void>;
  /** The session as a string for the database; the library's app-version constants are left out on purpose (see below). */
  serialize(): Promise<string>;
  /** Called after every HTTP response (the library's `request.end$`), including error responses. */
  onRequestEnd(listener: () => void): void;
  login(username: string, password: string): Promise<IgAccount>;
  twoFactorLogin(options: { username: string; twoFactorIdentifier: string; method: 'sms' | 'totp'; code: string }): Promise<IgAccount | undefined>;
  /** The challenge Instagram asked for in the last `challenge_required` answer. */
  currentChallenge(): ChallengeRef | undefined;
  /** Asks Instagram to send the challenge code (SMS or e-mail, Instagram's choice). */
  requestChallengeCode(): Promise<void>;
  /** Answers a challenge with the code; resolves with the account when Instagram returned it. */
  answerChallenge(challenge: ChallengeRef, code: string): Promise<IgAccount | undefined>;
  /** Our pk from the session (cookie or authorization header), when the session has one. */
  sessionPk(): string | undefined;
  openInbox(folder: InboxFolder): InboxReader;
  /** Items of one thread older than `oldestCursor`. */
  olderItems(threadId: string, oldestCursor: string): Promise<IgThreadPage>;
  /** Accepts a message request, so replies to it are delivered. */
  approve(threadId: string): Promise<void>;
  /** Sends text to a thread; resolves with the new item's id when Instagram returned one. */
  broadcastText(threadId: string, text: string): Promise<string | undefined>;
  close(): void;
}

export interface GatewayOptions {
  /** Seeds the simulated device; the same username always gives the same device. */
  readonly username: string;
  /** An HTTP(S) proxy for every request, if the office routes traffic through one. */
  readonly proxyUrl?: string;
  /** Abort one HTTP request after this long. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

export type GatewayFactory = (options: GatewayOptions) => IgGateway;

export const createIgGateway: GatewayFactory = (options) => {
  const ig = new IgApiClient();
  ig.state.generateDevice(options.username);
  if (options.proxyUrl !== undefined) ig.state.proxyUrl = options.proxyUrl;
  // `request` has no timeout by default: a hung connection would stall polling (and stop()) for good.
  ig.request.defaults = { ...ig.request.defaults, timeout: options.requestTimeoutMs ?? 30_000 };
  const subscriptions: { unsubscribe(): void }[] = [];

  return {
    async restore(serialized) {
      await ig.state.deserialize(serialized);
    },
    async serialize() {
      const state: Record<string, unknown> = await ig.state.serialize();
      // Without the constants, an upgraded library's app version is used after a restart
      // instead of the one frozen into the session (the library's own advice).
      delete state['constants'];
      return JSON.stringify(state);
    },
    onRequestEnd(listener) {
      subscriptions.push(ig.request.end$.subscribe(listener));
    },
    async login(username, password) {
      const user: unknown = await ig.account.login(username, password);
      const account = parseLoggedInUser(user);
      if (account === undefined) throw new IgWireError('login without logged_in_user.pk');
      return account;
    },
    async twoFactorLogin({ username, twoFactorIdentifier, method, code }) {
      const body: unknown = await ig.account.twoFactorLogin({
        username,
        twoFactorIdentifier,
        verificationCode: code,
        // The library's convention: '1' = SMS, '0' = authenticator app.
        verificationMethod: method === 'totp' ? '0' : '1',
        trustThisDevice: '1',
      });
      return parseLoggedInUser(body);
    },
    currentChallenge() {
      const checkpoint: unknown = ig.state.checkpoint;
      return parseChallengePath(checkpoint);
    },
    async requestChallengeCode() {
      await ig.challenge.auto(true);
    },
    async answerChallenge(challenge, code) {
      ig.state.checkpoint = checkpointFor(challenge);
      const body: unknown = await ig.challenge.sendSecurityCode(code);
      return parseLoggedInUser(body);
    },
    sessionPk() {
      try {
        return ig.state.cookieUserId;
      } catch (err) {
        // No ds_user_id cookie and no parsable authorization: not logged in.
        if (err instanceof Error) return undefined;
        throw err;
      }
    },
    openInbox(folder) {
      const feed = folder === 'inbox' ? ig.feed.directInbox() : ig.feed.directPending();
      let more = true;
      return {
        async next() {
          const body: unknown = await feed.request();
          const page = parseInboxPage(body);
          more = page.hasOlder;
          return page;
        },
        hasMore: () => more,
      };
    },
    async olderItems(threadId, oldestCursor) {
      const body: unknown = await ig.feed.directThread({ thread_id: threadId, oldest_cursor: oldestCursor }).request();
      return parseThreadPage(body);
    },
    async approve(threadId) {
      await ig.directThread.approve(threadId);
    },
    async broadcastText(threadId, text) {
      // skipLinkCheck = false: texts with URLs go out as link items, which Instagram renders with a preview.
      const result: unknown = await ig.entity.directThread(threadId).broadcastText(text);
      return parseSentItemId(result);
    },
    close() {
      for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
      ig.destroy();
    },
  };
};

/** The library's checkpoint record, rebuilt from what we stored (it keeps it out of its own serialized state). */
function checkpointFor(challenge: ChallengeRef): CheckpointResponse {
  return {
    message: 'challenge_required',
    status: 'fail',
    error_type: 'checkpoint_challenge_required',
    challenge: {
      api_path: challenge.apiPath,
      url: challenge.url ?? `https://i.instagram.com${challenge.apiPath}`,
      hide_webview_header: true,
      lock: true,
      logout: false,
      native_flow: true,
    },
  };
}
