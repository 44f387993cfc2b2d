/** Sessions, cookies, CSRF, login rate limit and throttling, logout, audit trail. */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, PASSWORD, type Harness } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => h?.close());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, headers });

describe('dashboard sessions', () => {
  it('logs in with an HttpOnly SameSite=Strict cookie and returns the CSRF token', async () => {
    h = await createHarness();
    const response = await login('siti', PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^sapa_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const body = response.json() as { user: { username: string; role: string }; csrfToken: string };
    expect(body.user).toMatchObject({ username: 'siti', role: 'staff' });
    const session = await h.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookie.split(';')[0]! } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { username: 'siti' }, csrfToken: body.csrfToken, timeZone: 'Asia/Makassar' });
  });

  it('stores only a hash of the cookie token', async () => {
    h = await createHarness();
    const officer = await h.login('siti');
    const token = officer.cookie.split('=')[1]!;
    const ids = h.t.db.prepare<[], { id: string }>('SELECT id FROM sessions').all().map((r) => r.id);
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe(token);
    expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks the cookie Secure from the configured https address, never from a request header', async () => {
    h = await createHarness();
    // X-Forwarded-Proto is anyone's to send: it decides nothing.
    const spoofed = await login('siti', PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(spoofed.statusCode).toBe(200);
    expect(String(spoofed.headers['set-cookie'])).not.toMatch(/; Secure/);
    await h.close();
    // main.ts sets this when PUBLIC_URL is https.
    h = await createHarness({ dashboard: { secureCookies: true } });
    expect(String((await login('siti', PASSWORD)).headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('answers 401 with the JSON error on bad credentials, unknown users and missing sessions', async () => {
    h = await createHarness();
    const wrong = await login('siti', 'salah-sekali-123');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'wrong username or password' } });
    expect((await login('nobody', PASSWORD)).statusCode).toBe(401);
    const missing = await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'siti' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toHaveProperty('error.code', 'VALIDATION');
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/session' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'please log in' } });
    const forged = await h.app.inject({ method: 'GET', url: '/api/tickets', headers: { cookie: 'sapa_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.statusCode).toBe(401);
  });

  it('requires the CSRF token on every state-changing request', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, antrean kacau');
    const siti = await h.login('siti');
    const without = await siti.call('POST', `/api/tickets/${id}/claim`, undefined, { csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toHaveProperty('error.code', 'FORBIDDEN');
    const wrong = await h.app.inject({ method: 'POST', url: `/api/tickets/${id}/claim`, headers: { cookie: siti.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.statusCode).toBe(403);
    const budi = await h.login('budi');
    // Another session's token does not work either.
    const crossed = await h.app.inject({ method: 'POST', url: `/api/tickets/${id}/claim`, headers: { cookie: siti.cookie, 'x-csrf-token': budi.csrfToken } });
    expect(crossed.statusCode).toBe(403);
    expect((await siti.call('DELETE', '/api/session', undefined, { csrf: false })).statusCode).toBe(403);
    expect(h.t.core.tickets.get(id).assigneeId).toBeNull();
    expect((await siti.call('POST', `/api/tickets/${id}/claim`)).statusCode).toBe(200);
  });

  it('logs out: the cookie stops working and is cleared', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    const out = await siti.call('DELETE', '/api/session');
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/sapa_session=;/);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(401);
  });

  it('expires sessions after the idle time and at the absolute lifetime', async () => {
    h = await createHarness({ dashboard: { sessionPolicy: { idleMs: 60 * 60_000, absoluteMs: 3 * 60 * 60_000 } } });
    const siti = await h.login('siti');
    h.t.clock.advance(50 * 60_000);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(200); // slides to +60 min
    h.t.clock.advance(50 * 60_000);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(200);
    h.t.clock.advance(61 * 60_000);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(401);
    const budi = await h.login('budi');
    for (let i = 0; i < 6; i += 1) {
      h.t.clock.advance(30 * 60_000);
      expect((await budi.call('GET', '/api/session')).statusCode).toBe(i < 5 ? 200 : 401);
    }
  });

  it('slows an account down after five wrong passwords instead of locking it, without checking the password meanwhile', async () => {
    h = await createHarness();
    for (let i = 0; i < 5; i += 1) expect((await login('siti', `salah-${i}-xxxxxxxx`)).statusCode).toBe(401);
    const sixth = await login('siti', 'salah-6-xxxxxxxx');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['retry-after']).toBe('1');
    expect(sixth.json()).toEqual({ error: { code: 'RATE_LIMITED', message: 'too many failed logins; try again in 1 s' } });
    // Even the right password is refused while waiting.
    expect((await login('siti', PASSWORD)).statusCode).toBe(429);
    // Other accounts are unaffected.
    expect((await login('budi', PASSWORD)).statusCode).toBe(200);
    // One second later, not fifteen minutes.
    h.t.clock.advance(1_000);
    expect((await login('siti', PASSWORD)).statusCode).toBe(200);
    const actions = h.t.db.prepare<[], { action: string }>("SELECT action FROM audit_log WHERE username = 'siti' ORDER BY id").all().map((r) => r.action);
    expect(actions).toEqual(['login_failed', 'login_failed', 'login_failed', 'login_failed', 'login_failed', 'login_throttled', 'login_throttled', 'login']);
  });

  it('lets an admin lift a login delay early', async () => {
    h = await createHarness();
    for (let i = 0; i < 7; i += 1) await login('siti', `salah-${i}-xxxxxxxx`);
    h.t.clock.advance(1_000);
    await login('siti', 'salah-7-xxxxxxxx');
    const admin = await h.login('admin');
    const listed = (await admin.call('GET', '/api/staff')).json() as { staff: { username: string; lockedUntil: string | null }[] };
    // Six checked failures: the next try waits 2 s.
    expect(listed.staff.find((s) => s.username === 'siti')?.lockedUntil).toBe('2026-11-30T01:00:03.000Z');
    expect(listed.staff.find((s) => s.username === 'budi')?.lockedUntil).toBeNull();
    expect((await admin.call('POST', '/api/staff/siti/unlock')).statusCode).toBe(200);
    expect((await login('siti', PASSWORD)).statusCode).toBe(200);
  });

  it('rate-limits login attempts per address', async () => {
    h = await createHarness({ dashboard: { loginPerMinute: 3 } });
    for (let i = 0; i < 3; i += 1) expect((await login(`user${i}`, 'whatever-xxxxxx')).statusCode).toBe(401);
    const limited = await login('siti', PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toHaveProperty('error.code', 'RATE_LIMITED');
  });

  it('ends the sessions of a disabled account', async () => {
    h = await createHarness();
    const budi = await h.login('budi');
    const admin = await h.login('admin');
    expect((await admin.call('POST', '/api/staff/budi/disable')).statusCode).toBe(200);
    expect((await budi.call('GET', '/api/tickets')).statusCode).toBe(401);
    expect((await login('budi', PASSWORD)).statusCode).toBe(401);
  });
});
