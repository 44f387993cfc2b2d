/**
 * Issue 17, the composition root: the settings that protect the public surface reach the
 * running application (startApp, as `sapa start` composes it), not only the modules the
 * other abuse tests build by hand. One app on a fake clock with:
 *
 * - WEB_CHAT_SECRET: the ids it issues are signed with that key (and no key file is made);
 * - WEB_CHAT_VISITORS_PER_HOUR: new ids per address per hour;
 * - WEB_CHAT_TICKETS_PER_HOUR: tickets per address across ids, then the flood ticket;
 * - PUBLIC_URL https: the session cookie is Secure, pages get upgrade-insecure-requests and HSTS;
 * - WEB_CHAT_FRAME_ANCESTORS: the office website may frame the chat;
 * - /healthz: the public answer is the state only;
 * - the process umask is 077 once it runs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import { createVisitorIdentities } from '../../src/server/web-identity.js';
import { createStaffService } from '../../src/staff.js';
import { openDatabase } from '../../src/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-abuse-wiring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'wiring-test-secret-0123456789abcdef-XYZ';
const PASSWORD = 'rahasia-kantor-123';

describe('the abuse settings in the composed application', () => {
  it('reach the running app: signed ids, per-address id and ticket caps, Secure cookie, framing, public health', async () => {
    const dbPath = join(dir, 'sapa.db');
    const db = openDatabase(dbPath);
    createStaffService(db).add({ username: 'siti', role: 'staff', password: PASSWORD });
    db.close();
    const config = loadConfig({
      SAPA_DB: dbPath,
      PORT: '0',
      LOG_LEVEL: 'silent',
      // The model the test run trained once (vitest.config.ts), instead of training again.
      SAPA_MODEL_CACHE: process.env['SAPA_MODEL_CACHE'] ?? '',
      WEB_CHAT_SECRET: SECRET,
      WEB_CHAT_VISITORS_PER_HOUR: '6',
      WEB_CHAT_TICKETS_PER_HOUR: '2',
      PUBLIC_URL: 'https://sapa.example.go.id',
      WEB_CHAT_FRAME_ANCESTORS: 'https://www.kanim.example.go.id',
    });
    // startApp sets the umask to 077 first (files it or a library creates are private).
    const umaskBefore = process.umask(0o022);
    // Thursday 3 December 2026, 10.00 WITA: office hours.
    const app = await startApp(config, pino({ level: 'silent' }), { clock: createFakeClock('2026-12-03T02:00:00Z') });
    const umaskOfApp = process.umask(umaskBefore);
    try {
      expect(umaskOfApp).toBe(0o077);

      const { server, core } = app;
      const newVisitor = async (address: string) => server.inject({ method: 'POST', url: '/chat/visitors', remoteAddress: address });

      // WEB_CHAT_VISITORS_PER_HOUR per address; another address has its own budget.
      const issued: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const response = await newVisitor('203.0.113.10');
        expect(response.statusCode).toBe(201);
        issued.push((response.json() as { visitorId: string }).visitorId);
      }
      expect((await newVisitor('203.0.113.10')).statusCode).toBe(429);
      const other = await newVisitor('203.0.113.11');
      expect(other.statusCode).toBe(201);

      // Signed with WEB_CHAT_SECRET, not with a key file of its own.
      const withSecret = createVisitorIdentities(Buffer.from(SECRET, 'utf8'));
      expect(issued.every((id) => withSecret.verify(id))).toBe(true);
      expect(existsSync(join(dir, 'web-chat.key'))).toBe(false);

      // WEB_CHAT_TICKETS_PER_HOUR: four complaints from one address with four ids open two
      // tickets and one flood ticket; the other address opens its own.
      const post = (visitorId: string, address: string, n: number) =>
        server.inject({
          method: 'POST',
          url: '/chat/messages',
          remoteAddress: address,
          payload: { visitorId, clientMessageId: `wiring-msg-${n}`, text: `saya kecewa, antrean kacau dan lama sekali (${n})` },
        });
      for (let i = 0; i < 4; i += 1) {
        expect((await post(issued[i]!, '203.0.113.10', i)).statusCode).toBe(202);
        await core.intake.idle();
      }
      expect((await post((other.json() as { visitorId: string }).visitorId, '203.0.113.11', 9)).statusCode).toBe(202);
      await core.intake.idle();
      const count = (sql: string): number => (core.db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM tickets')).toBe(4);
      expect(count("SELECT count(*) AS n FROM ticket_origins WHERE kind = 'flood'")).toBe(1);
      expect(count("SELECT count(*) AS n FROM messages WHERE channel = 'web' AND direction = 'in' AND ticket_id IS NULL")).toBe(0);

      // PUBLIC_URL https: a Secure session cookie; the CSP upgrades and the office site may frame the chat.
      const login = await server.inject({ method: 'POST', url: '/api/session', payload: { username: 'siti', password: PASSWORD }, remoteAddress: '10.0.0.5' });
      expect(login.statusCode).toBe(200);
      expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);
      const page = await server.inject({ method: 'GET', url: '/' });
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'self' https://www.kanim.example.go.id;");
      expect(csp).toContain('upgrade-insecure-requests');
      expect(page.headers['strict-transport-security']).toMatch(/max-age=/);

      const health = await server.inject({ method: 'GET', url: '/healthz' });
      expect(Object.keys(health.json() as object).sort()).toEqual(['channels', 'ok']);
    } finally {
      await app.stop();
    }
  }, 180_000);
});
