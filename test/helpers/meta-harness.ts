/**
 * The composed application (startApp) with Messenger and the official Instagram API
 * configured against two fake Graph API servers on loopback (test/fakes/meta-graph-api.ts),
 * and Meta's webhook driven with correctly signed, real-shaped payloads. The clock is
 * injected; waits poll a condition with a bounded deadline, never sleep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { signBody } from '../../channels/meta.js';
import { createFakeClock, type FakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { StoredMessage } from '../../src/domain.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { createStaffService } from '../../src/staff.js';
import { findConversation } from '../../src/store/conversations.js';
import { listConversationMessages } from '../../src/store/messages.js';
import { createFakeGraphApi, type FakeGraphApi, type SendCall } from '../fakes/meta-graph-api.js';
import { MONDAY_MORNING } from './core.js';

export const VERSION = 'v25.0';
export const APP_SECRET = 'd41d8cd98f00b204e9800998ecf8427e';
export const VERIFY_TOKEN = 'sapa-kupang-verify-2026';
export const PAGE_ID = '104522119123456';
export const PAGE_TOKEN = 'EAAGm0PX4ZCpsBAFakePageToken1234567890';
export const IG_ID = '17841405822304914';
export const IG_TOKEN = 'IGAAFakeInstagramUserToken0987654321';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface MetaHarness {
  readonly app: RunningApp;
  readonly clock: FakeClock;
  readonly messenger: FakeGraphApi;
  readonly instagram: FakeGraphApi;
  readonly dir: string;
}

export interface MetaHarnessOptions {
  /** Extra environment (or `null` to leave a default variable out). */
  readonly env?: Record<string, string | null>;
  /** Reuse these (a restart on the same database and fakes). */
  readonly dir?: string;
  readonly fakes?: { readonly messenger: FakeGraphApi; readonly instagram: FakeGraphApi };
  readonly clock?: FakeClock;
}

export async function startMetaHarness(options: MetaHarnessOptions = {}): Promise<MetaHarness> {
  const messenger = options.fakes?.messenger ?? (await createFakeGraphApi({ version: VERSION, accountId: PAGE_ID, token: PAGE_TOKEN }));
  const instagram = options.fakes?.instagram ?? (await createFakeGraphApi({ version: VERSION, accountId: IG_ID, token: IG_TOKEN }));
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sapa-meta-'));
  const clock = options.clock ?? createFakeClock(MONDAY_MORNING);
  const env: Record<string, string | null> = {
    SAPA_DB: join(dir, 'sapa.db'),
    PORT: '0',
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: VERIFY_TOKEN,
    MESSENGER_PAGE_ID: PAGE_ID,
    MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
    INSTAGRAM_ACCOUNT_ID: IG_ID,
    INSTAGRAM_ACCESS_TOKEN: IG_TOKEN,
    META_GRAPH_API_ROOT: messenger.apiRoot,
    INSTAGRAM_GRAPH_API_ROOT: instagram.apiRoot,
    ...options.env,
  };
  const config = loadConfig(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== null)));
  const app = await startApp(config, pino({ level: 'silent' }), { clock });
  return { app, clock, messenger, instagram, dir };
}

/** Stops the app; `keep` leaves the fakes and the directory for a restart. */
export async function stopMetaHarness(h: MetaHarness, keep = false): Promise<void> {
  await h.app.stop();
  if (keep) return;
  await h.messenger.close();
  await h.instagram.close();
  rmSync(h.dir, { recursive: true, force: true });
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let midCounter = 0;
export const newMid = (prefix = 'm_'): string => `${prefix}${(midCounter += 1)}AbC-dEf_${Date.now().toString(36)}`;

export type Json = Record<string, unknown>;

/** Meta's envelope: `{object, entry: [{id, time, messaging: [...]}]}`. */
export function envelope(object: 'page' | 'instagram', accountId: string, time: number, messaging: Json[]): Json {
  return { object, entry: [{ id: accountId, time, messaging }] };
}

/** A Messenger message event as in Meta's "messages" webhook reference. */
export function messengerMessage(psid: string, time: number, message: Json): Json {
  return envelope('page', PAGE_ID, time, [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: time, message }]);
}

/** An Instagram message event as in Meta's Instagram webhook examples. */
export function instagramMessage(igsid: string, time: number, message: Json): Json {
  return envelope('instagram', IG_ID, time, [{ sender: { id: igsid }, recipient: { id: IG_ID }, timestamp: time, message }]);
}

export async function postRaw(h: MetaHarness, raw: string, signature: string | null): Promise<Response> {
  return fetch(`${h.app.url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body: raw,
  });
}

export async function post(h: MetaHarness, payload: Json): Promise<number> {
  const raw = JSON.stringify(payload);
  const response = await postRaw(h, raw, signBody(APP_SECRET, raw));
  await response.arrayBuffer();
  return response.status;
}

export function messagesOf(h: MetaHarness, channel: 'messenger' | 'instagram', externalId: string): StoredMessage[] {
  const conversation = findConversation(h.app.core.db, channel, externalId);
  return conversation === null ? [] : listConversationMessages(h.app.core.db, conversation.id);
}

export const inbound = (messages: StoredMessage[]): StoredMessage[] => messages.filter((m) => m.direction === 'in');
export const callsTo = (fake: FakeGraphApi, recipient: string): SendCall[] => fake.calls.filter((c) => c.body.recipient?.id === recipient);

export async function settle(h: MetaHarness): Promise<void> {
  await h.app.core.intake.idle();
  await h.app.core.outbox.runOnce();
}

/** The ticket a complaint opened on this Messenger conversation. */
export async function complain(h: MetaHarness, psid: string): Promise<number> {
  const status = await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'antrian lama sekali, saya kecewa dengan pelayanannya' }));
  if (status !== 200) throw new Error(`webhook answered ${status}`);
  await settle(h);
  return waitFor(() => inbound(messagesOf(h, 'messenger', psid))[0]?.ticketId ?? undefined, 'the complaint ticket');
}

export interface DashboardCaller {
  call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ statusCode: number; json(): unknown }>;
}

/** Logs an account of this role in through POST /api/session (in-process requests). */
export async function dashboardLogin(h: MetaHarness, username: string, role: 'staff' | 'admin'): Promise<DashboardCaller> {
  const password = 'tiga-burung-hinggap-di-lontar';
  const staff = createStaffService(h.app.core.db, () => h.clock.now());
  if (staff.findByUsername(username) === null) staff.add({ username, role, password });
  const login = await h.app.server.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const session = await h.app.server.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
  const csrf = (session.json() as { csrfToken?: string }).csrfToken ?? '';
  return {
    async call(method, url, body) {
      const response = await h.app.server.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrf },
        ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
      });
      return { statusCode: response.statusCode, json: () => response.json() as unknown };
    },
  };
}
