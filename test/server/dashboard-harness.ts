/**
 * The real core (fake clock, recording Telegram channel), the web channel and the real
 * server with the dashboard plugin, plus officers of every role and a small client that
 * keeps the session cookie and CSRF token like a browser page does.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { createWebChannel, type WebChannel } from '../../channels/web.js';
import { buildServer } from '../../src/server/app.js';
import { registerDashboard, type DashboardDeps } from '../../src/server/dashboard/index.js';
import { createStaffService, type StaffService } from '../../src/staff.js';
import type { SlaPolicy } from '../../src/sla/policy.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

export const PASSWORD = 'rahasia-kantor-123';

export interface Officer {
  readonly id: number;
  readonly username: string;
  readonly cookie: string;
  readonly csrfToken: string;
  /** A request with this officer's cookie (and CSRF token unless `csrf: false`). */
  call(method: NonNullable<InjectOptions['method']>, url: string, payload?: unknown, options?: { csrf?: boolean }): Promise<LightMyRequestResponse>;
}

export interface Harness {
  readonly t: TestCore;
  readonly app: FastifyInstance;
  readonly web: WebChannel;
  readonly staff: StaffService;
  login(username: string): Promise<Officer>;
  /** An applicant complaint on the recording Telegram channel; returns the new ticket id. */
  complaint(text: string, from?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly before?: (app: FastifyInstance) => void;
  readonly dashboard?: Partial<Omit<DashboardDeps, 'core' | 'staff' | 'policy'>>;
  readonly start?: string;
  /** The SLA policy the dashboard reads (default: the shipped files); tests of the holiday calendar give their own data. */
  readonly policy?: SlaPolicy;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const t = createTestCore(options.start ? { start: options.start } : {});
  const web = createWebChannel({ now: () => t.clock.now() });
  t.core.addChannel(web);
  await web.start(t.core.intake.sink);
  const staff = createStaffService(t.db, () => t.clock.now());
  staff.add({ username: 'siti', role: 'staff', password: PASSWORD, displayName: 'Siti' });
  staff.add({ username: 'budi', role: 'staff', password: PASSWORD });
  staff.add({ username: 'sari', role: 'supervisor', password: PASSWORD });
  staff.add({ username: 'admin', role: 'admin', password: PASSWORD });
  const app = await buildServer({
    db: t.db,
    logger: pino({ level: 'silent' }),
    web,
    channels: () => t.core.channels(),
    problems: () => [],
    webChatPerMinute: 100,
    plugins: [
      ...(options.before ? [options.before] : []),
      (instance) => registerDashboard(instance, { core: t.core, staff, policy: options.policy ?? testPolicy(), ...options.dashboard }),
    ],
  });

  const login = async (username: string): Promise<Officer> => {
    const response = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password: PASSWORD } });
    if (response.statusCode !== 200) throw new Error(`login ${username}: ${response.statusCode} ${response.body}`);
    const setCookie = String(response.headers['set-cookie']);
    const cookie = setCookie.split(';')[0]!;
    const body = response.json() as { user: { id: number }; csrfToken: string };
    return {
      id: body.user.id,
      username,
      cookie,
      csrfToken: body.csrfToken,
      call: (method, url, payload, callOptions = {}) =>
        app.inject({
          method,
          url,
          headers: { cookie, ...(callOptions.csrf === false ? {} : { 'x-csrf-token': body.csrfToken }) },
          ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
        }),
    };
  };

  return {
    t,
    app,
    web,
    staff,
    login,
    async complaint(text, from = 'applicant-1') {
      await t.say(text, { from });
      const row = t.db.prepare<[], { id: number }>('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get();
      if (!row) throw new Error(`no ticket opened by "${text}"`);
      return row.id;
    },
    async close() {
      await app.close();
      t.close();
    },
  };
}
