/**
 * Issue 17, accounts and access to personal data: login under attack (scrypt off the event
 * loop, throttling instead of a lock, the same answers for unknown users), the burst alert,
 * sessions ended by `sapa staff passwd`/`disable`, the audit of CLI changes and ticket
 * views, the ticket-detail leak, and file modes. Real server, real SQLite, fake clock.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { createFakeClock } from '../../src/clock.js';
import { passwordCheckCount } from '../../src/staff.js';
import { restrictUmask } from '../../src/file-modes.js';
import { backupDatabase } from '../../src/maintenance.js';
import { createLimiter } from '../../src/server/dashboard/login.js';
import { createSessionStore } from '../../src/server/dashboard/sessions.js';
import { createStaffService } from '../../src/staff.js';
import { openDatabase } from '../../src/store/db.js';
import { createHarness, PASSWORD, type Harness } from '../server/dashboard-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tmp = mkdtempSync(join(tmpdir(), 'sapa-abuse-accounts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Route rate limit out of the way: these tests are about the login's own throttling. */
const open = (loginPolicy = {}) => createHarness({ dashboard: { loginPerMinute: 100_000, loginPolicy } });

const login = (username: string, password: string, ip = '198.51.100.7') =>
  h!.app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress: ip });

/** What an outsider can observe of a refusal. */
const observed = (r: Awaited<ReturnType<typeof login>>) => ({ status: r.statusCode, body: r.body, retryAfter: r.headers['retry-after'] ?? null });

describe('login answers do not reveal which usernames exist', () => {
  it('gives an unknown user, a wrong password and a disabled account the same answers, throttling included', async () => {
    h = await open();
    h.staff.add({ username: 'lama', role: 'staff', password: 'rahasia-kantor-lama' });
    h.staff.disable('lama');
    const run = async (username: string, password: string, ip: string) => {
      const seen = [];
      for (let i = 0; i < 9; i += 1) seen.push(observed(await login(username, password, ip)));
      return seen;
    };
    const wrong = await run('siti', 'salah-sekali-123', '10.0.0.1');
    const unknown = await run('tidakada', 'salah-sekali-123', '10.0.0.2');
    const disabled = await run('lama', 'rahasia-kantor-lama', '10.0.0.3');
    expect(unknown).toEqual(wrong);
    expect(disabled).toEqual(wrong);
    // Five checked failures, then the throttle (same clock: no time passed).
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429]);
    expect(wrong[0]!.body).toBe(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'wrong username or password' } }));
    expect(wrong[5]).toEqual({ status: 429, retryAfter: '1', body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'too many failed logins; try again in 1 s' } }) });
  });

  it('costs one scrypt whether or not the user exists (no second hash for unknown users)', async () => {
    h = await open();
    // Counted, not timed: each login attempt that is checked runs exactly one scrypt, for a real
    // account, an unknown username or a disabled account alike (the old code hashed twice for
    // unknown users). Timing the same would fail on a busy machine.
    const checksFor = async (name: string, address: string): Promise<number> => {
      const before = passwordCheckCount();
      expect((await login(name, 'salah-sekali-123', address)).statusCode).toBe(401);
      return passwordCheckCount() - before;
    };
    h.staff.add({ username: 'lama', role: 'staff', password: 'rahasia-kantor-lama' });
    h.staff.disable('lama');
    await checksFor('tidakada0', '10.9.0.1'); // the dummy hash is made once, on first use
    expect(await checksFor('siti', '10.9.1.1')).toBe(1);
    expect(await checksFor('tidakada1', '10.9.1.2')).toBe(1);
    expect(await checksFor('lama', '10.9.1.3')).toBe(1);
  });
});

describe('throttling instead of a lock', () => {
  it('doubles the wait after each further failure, up to one minute per username, and does not count refused attempts', async () => {
    h = await open({ address: { freeFailures: 1000, baseDelayMs: 1000, maxDelayMs: 600_000, forgetAfterMs: 3_600_000 } });
    for (let i = 0; i < 5; i += 1) expect((await login('siti', `salah-${i}-xxxxxxxx`)).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const refused = await login('siti', 'salah-lagi-xxxxxxx');
      expect(refused.statusCode).toBe(429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      // Hammering while refused neither checks the password nor stretches the wait.
      for (let k = 0; k < 5; k += 1) expect(Number((await login('siti', PASSWORD)).headers['retry-after'])).toBe(wait);
      h.t.clock.advance(wait * 1000);
      expect((await login('siti', 'salah-lagi-xxxxxxx')).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    // The right password after the wait works.
    h.t.clock.advance(60_000);
    expect((await login('siti', PASSWORD)).statusCode).toBe(200);
  });

  it('counts parallel guesses before hashing: 20 at once get 5 checks', async () => {
    h = await open();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login('siti', `tebakan-${i}-xxxxxxx`)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('throttles an address that rotates usernames', async () => {
    h = await open();
    for (let i = 0; i < 10; i += 1) expect((await login(`user${i}`, 'whatever-xxxxxx', '203.0.113.50')).statusCode).toBe(401);
    const refused = await login('siti', PASSWORD, '203.0.113.50');
    expect(refused.statusCode).toBe(429);
    // Other addresses are not affected.
    expect((await login('siti', PASSWORD, '203.0.113.51')).statusCode).toBe(200);
  });

  it('counts an IPv6 address by its /64: rotating addresses inside it is one address, for the throttle and the route limit', async () => {
    h = await open();
    // One subscriber's prefix hands out as many addresses as an attacker wants.
    for (let i = 0; i < 10; i += 1) expect((await login(`user${i}`, 'whatever-xxxxxx', `2001:db8:aa:1::${(i + 1).toString(16)}`)).statusCode).toBe(401);
    const refused = await login('siti', PASSWORD, '2001:db8:aa:1:ffff:1:2:3');
    expect(refused.statusCode).toBe(429);
    // The next /64 is someone else.
    expect((await login('siti', PASSWORD, '2001:db8:aa:2::1')).statusCode).toBe(200);
    // The route's own limit (login attempts per minute) counts the /64 too.
    await h.close();
    h = await createHarness({ dashboard: { loginPerMinute: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(`orang${i}`, 'whatever-xxxxxx', `2001:db8:bb:1::${i + 1}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await login('siti', PASSWORD, '2001:db8:bb:2::1')).statusCode).toBe(200);
  });

  it('cannot keep an officer out: an attack from many addresses for 30 minutes never holds back her usual address, and waits stay under a minute elsewhere', async () => {
    h = await open();
    expect((await login('siti', PASSWORD, '10.1.1.1')).statusCode).toBe(200); // her office PC, last week
    h.t.clock.advance(7 * 86_400_000);
    let longest = 0;
    let attempts = 0;
    const started = h.t.clock.now().getTime();
    while (h.t.clock.now().getTime() - started < 30 * 60_000) {
      // A botnet: a fresh address each time, trying the moment the wait ends.
      const r = await login('siti', `tebakan-${attempts}-xxxx`, `198.18.${attempts >> 8}.${attempts & 255}`);
      attempts += 1;
      if (r.statusCode === 429) {
        const wait = Number(r.headers['retry-after']);
        longest = Math.max(longest, wait);
        // At this very moment siti logs in from her usual PC: not held back.
        const own = await login('siti', PASSWORD, '10.1.1.1');
        expect(own.statusCode).toBe(200);
        h.t.clock.advance(wait * 1000);
      }
    }
    expect(attempts).toBeGreaterThan(30);
    expect(longest).toBeLessThanOrEqual(60);
    // From a new address, right after a stranger's guess, she waits at most that minute...
    await login('siti', 'tebakan-terakhir-xxxx', '198.19.0.1');
    const fresh = await login('siti', PASSWORD, '10.2.2.2');
    expect(fresh.statusCode).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeLessThanOrEqual(60);
    // ...and an admin can clear it at once.
    const admin = await login('admin', PASSWORD, '10.1.1.9');
    expect(admin.statusCode).toBe(200);
    const cookie = String(admin.headers['set-cookie']).split(';')[0]!;
    const csrf = (admin.json() as { csrfToken: string }).csrfToken;
    await h.app.inject({ method: 'POST', url: '/api/staff/siti/unlock', headers: { cookie, 'x-csrf-token': csrf } });
    expect((await login('siti', PASSWORD, '10.2.2.3')).statusCode).toBe(200);
  });

  it('alerts supervisors and admins once on a burst of failures, naming only real accounts', async () => {
    h = await open({ account: { freeFailures: 1000, baseDelayMs: 1000, maxDelayMs: 1000, forgetAfterMs: 60_000 } });
    for (let i = 0; i < 19; i += 1) await login(i % 2 === 0 ? 'siti' : `rahasia-${i}`, 'salah-sekali-123', `192.0.2.${i}`);
    const alerts = () => h!.t.db.prepare<[], { kind: string; audience: string; text: string }>("SELECT kind, audience, text FROM staff_alerts WHERE kind = 'login_failures'").all();
    expect(alerts()).toHaveLength(0);
    await login('budi', 'salah-sekali-123', '192.0.2.99');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.audience).toBe('supervisor');
    expect(alerts()[0]!.text).toMatch(/20 login dasbor gagal dalam 10 menit/);
    expect(alerts()[0]!.text).toContain('Akun yang dicoba: budi, siti.');
    expect(alerts()[0]!.text).not.toContain('rahasia-');
    for (let i = 0; i < 10; i += 1) await login('budi', 'salah-sekali-123', `192.0.3.${i}`);
    expect(alerts()).toHaveLength(1);
    // The admin's feed shows it.
    const admin = await h.login('admin');
    const feed = (await admin.call('GET', '/api/alerts')).json() as { alerts: { kind: string }[] };
    expect(feed.alerts.map((a) => a.kind)).toContain('login_failures');
  });
});

describe('scrypt does not stall the server', () => {
  it('bounds concurrent hashes', async () => {
    const limiter = createLimiter(2, 3);
    let running = 0;
    let most = 0;
    const task = () =>
      limiter.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return 'done';
      });
    const results = await Promise.all(Array.from({ length: 6 }, task));
    expect(most).toBe(2);
    // Two run, three wait, the sixth is turned away.
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  it('100 concurrent logins against the real server: /healthz keeps answering (p99 reported)', async () => {
    h = await open({ account: { freeFailures: 1000, baseDelayMs: 1, maxDelayMs: 1, forgetAfterMs: 1 }, address: { freeFailures: 1000, baseDelayMs: 1, maxDelayMs: 1, forgetAfterMs: 1 } });
    const base = new URL(await h.app.listen({ host: '127.0.0.1', port: 0 }));
    /** One request on its own connection from a loopback address of our choice (100 clients, not one). */
    const send = (path: string, from: string, body?: unknown) =>
      new Promise<number>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            host: base.hostname,
            port: base.port,
            path,
            method: payload === undefined ? 'GET' : 'POST',
            localAddress: from,
            agent: false,
            headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const health: number[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        expect(await send('/healthz', '127.0.0.1')).toBeLessThan(600);
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const loginStarted = performance.now();
    const logins = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        send('/api/session', `127.0.1.${i + 1}`, i % 2 === 0 ? { username: 'siti', password: PASSWORD } : { username: `tidakada${i}`, password: 'salah-sekali-123' }),
      ),
    );
    const loginMs = performance.now() - loginStarted;
    done = true;
    await poll;
    expect(logins.filter((s) => s === 200)).toHaveLength(50);
    expect(logins.filter((s) => s === 401)).toHaveLength(50);
    const sorted = [...health].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
    const p50 = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `100 concurrent logins took ${loginMs.toFixed(0)} ms; /healthz meanwhile: ${sorted.length} requests, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
    );
    expect(sorted.length).toBeGreaterThan(10);
    // The target is p99 < 100 ms (measured and reported in the README); the assertion
    // only catches a stall like the old 5.3 s freeze, so a busy test machine does not flake it.
    expect(p99).toBeLessThan(1000);
  }, 60_000);
});

describe('sessions and the audit log', () => {
  async function cli(args: string[], input: string, db: string) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    stdin.end(input);
    const code = await runCli(args, { stdin, stdout, stderr, env: { SAPA_DB: db, LOG_LEVEL: 'silent' } });
    return { code, out, err };
  }

  it('sapa staff passwd and disable end the account\'s sessions and are audited with the OS user', async () => {
    const path = join(tmp, 'cli-sessions.db');
    expect((await cli(['staff', 'add', 'ani', '--role', 'staff', '--password-stdin'], 'rahasia-sekali-123\n', path)).code).toBe(0);
    expect((await cli(['staff', 'add', 'ina', '--role', 'staff', '--password-stdin'], 'rahasia-sekali-456\n', path)).code).toBe(0);
    const weak = await cli(['staff', 'passwd', 'ani', '--password-stdin'], '1111111111\n', path);
    expect(weak.code).toBe(2);
    expect(weak.err).toMatch(/too weak \(strength 0 of 4, at least 3 needed\): repeated characters/);
    let db = openDatabase(path);
    const staff = createStaffService(db);
    const sessions = createSessionStore(db, createFakeClock('2026-12-03T01:00:00Z'));
    const ani = sessions.create(staff.findByUsername('ani')!.id);
    sessions.create(staff.findByUsername('ani')!.id);
    const ina = sessions.create(staff.findByUsername('ina')!.id);
    db.close();

    const passwd = await cli(['staff', 'passwd', 'ani', '--password-stdin'], 'kata-sandi-baru-456\n', path);
    expect(passwd).toMatchObject({ code: 0, out: 'password changed for ani (staff); 2 dashboard sessions ended\n' });
    db = openDatabase(path);
    const live = createSessionStore(db, createFakeClock('2026-12-03T01:00:00Z'));
    expect(live.resolve(ani.token)).toBeNull();
    expect(live.resolve(ina.token)).not.toBeNull();
    db.close();
    expect((await cli(['staff', 'disable', 'ina'], '', path)).out).toBe('disabled ina (staff, disabled); 1 dashboard session ended\n');
    expect((await cli(['staff', 'link-whatsapp', 'ani', '0812-3456-7890'], '', path)).code).toBe(0);

    db = openDatabase(path);
    expect(createSessionStore(db, createFakeClock('2026-12-03T01:00:00Z')).resolve(ina.token)).toBeNull();
    const rows = db.prepare<[], { staff_id: number | null; username: string; action: string; target: string; data: string | null }>('SELECT staff_id, username, action, target, data FROM audit_log ORDER BY id').all();
    db.close();
    expect(rows.map((r) => [r.action, r.target])).toEqual([
      ['staff_added', 'ani'],
      ['staff_added', 'ina'],
      ['staff_password_set', 'ani'],
      ['staff_disabled', 'ina'],
      ['staff_linked', 'ani'],
    ]);
    for (const row of rows) {
      expect(row.staff_id).toBeNull();
      expect(row.username).toMatch(/^cli:\S+/);
    }
    expect(rows[2]!.data).toBe(JSON.stringify({ sessionsEnded: 2 }));
    expect(rows[4]!.data).not.toContain('6281234567890');
  });

  it('the admin route refuses a weak password with the reason and ends sessions on a new one', async () => {
    h = await open();
    const admin = await h.login('admin');
    const weak = await admin.call('POST', '/api/staff', { username: 'rudi', role: 'staff', password: '1111111111' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toEqual({
      error: { code: 'VALIDATION', message: expect.stringMatching(/^the password is too weak \(strength 0 of 4, at least 3 needed\): repeated characters/) as unknown as string },
    });
    const siti = await h.login('siti');
    expect((await admin.call('POST', '/api/staff/siti/password', { password: 'qwertyuiop' })).statusCode).toBe(400);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(200);
    expect((await admin.call('POST', '/api/staff/siti/password', { password: 'sepeda-biru-lasiana' })).statusCode).toBe(200);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(401);
  });

  it('records who opened which ticket and when (once per officer and ticket per 10 minutes)', async () => {
    h = await open();
    const id = await h.complaint('saya mau komplain, antrean kacau sekali');
    const siti = await h.login('siti');
    const sari = await h.login('sari');
    const views = () =>
      h!.t.db.prepare<[], { username: string; target: string; created_at: number }>("SELECT username, target, created_at FROM audit_log WHERE action = 'ticket_viewed' ORDER BY id").all();
    expect((await siti.call('GET', `/api/tickets/${id}`)).statusCode).toBe(200);
    expect((await siti.call('GET', `/api/tickets/${id}`)).statusCode).toBe(200); // a live reload
    expect((await sari.call('GET', `/api/tickets/${id}`)).statusCode).toBe(200);
    const ref = h.t.core.tickets.get(id).ref;
    expect(views().map((v) => [v.username, v.target])).toEqual([
      ['siti', ref],
      ['sari', ref],
    ]);
    expect(views()[0]!.created_at).toBe(h.t.clock.now().getTime());
    h.t.clock.advance(11 * 60_000);
    await siti.call('GET', `/api/tickets/${id}`);
    expect(views()).toHaveLength(3);
    // The queue is not a view of anyone's personal data in detail; a refused view is not recorded.
    await siti.call('GET', '/api/tickets');
    expect(views()).toHaveLength(3);
    // Admins read the audit log.
    const admin = await h.login('admin');
    const audit = (await admin.call('GET', '/api/audit')).json() as { entries: { action: string; target?: string }[] };
    expect(audit.entries.filter((e) => e.action === 'ticket_viewed')).toHaveLength(3);
  });
});

describe('ticket detail shows only what the officer may see', () => {
  // #18 team view: a colleague's ticket is readable (public messages, personal numbers masked);
  // its internal notes stay with the holder, on its own page and through the applicant's next ticket.
  it('an officer reading a colleague\'s ticket #1 never sees its notes or unmasked numbers, there or through the applicant\'s next ticket', async () => {
    h = await open();
    const first = await h.complaint('saya mau komplain, petugas loket kasar sekali, hp saya 081234567890', 'pemohon-x');
    const budi = await h.login('budi');
    expect((await budi.call('POST', `/api/tickets/${first}/claim`)).statusCode).toBe(200);
    expect((await budi.call('POST', `/api/tickets/${first}/messages`, { text: 'CATATAN-RAHASIA-BUDI: pemohon pernah lapor calo', internal: true })).statusCode).toBe(201);
    expect((await budi.call('POST', `/api/tickets/${first}/messages`, { text: 'BALASAN-BUDI: mohon maaf, kami tindak lanjuti' })).statusCode).toBe(201);
    expect((await budi.call('POST', `/api/tickets/${first}/close`)).statusCode).toBe(200);
    // The applicant asks the bot something (outside any ticket), then complains again.
    h.t.clock.advance(60 * 60_000);
    await h.t.say('berapa biaya paspor?', { from: 'pemohon-x' });
    const second = await h.complaint('saya kecewa lagi, antrean kacau dan lama sekali', 'pemohon-x');
    expect(second).not.toBe(first);
    expect(h.t.core.tickets.get(second).contactId).toBe(h.t.core.tickets.get(first).contactId);

    const siti = await h.login('siti');
    // #1 read-only: the public conversation, masked; not the note; no action.
    const readOnly = await siti.call('GET', `/api/tickets/${first}`);
    expect(readOnly.statusCode).toBe(200);
    expect(readOnly.json()).toHaveProperty('access', 'read');
    expect(readOnly.body).toContain('BALASAN-BUDI');
    expect(readOnly.body).not.toContain('CATATAN-RAHASIA-BUDI');
    expect(readOnly.body).not.toContain('081234567890');
    expect((await siti.call('POST', `/api/tickets/${first}/reopen`)).statusCode).toBe(403);
    const detail = await siti.call('GET', `/api/tickets/${second}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json() as { messages: { ticketId: number | null; text: string; visibility: string; masked: boolean }[]; hiddenMessages: number };
    // The leak of #17: none of ticket #1's notes, and #1's messages only masked.
    expect(detail.body).not.toContain('CATATAN-RAHASIA-BUDI');
    expect(detail.body).not.toContain('081234567890');
    expect(body.messages.filter((m) => m.ticketId === first).every((m) => m.visibility === 'public' && m.masked)).toBe(true);
    expect(body.hiddenMessages).toBe(1);
    // What siti sees unmasked: this ticket, and the applicant's public conversation with the bot.
    expect(body.messages.some((m) => m.ticketId === second && m.text.includes('kecewa lagi') && !m.masked)).toBe(true);
    expect(body.messages.some((m) => m.ticketId === null && m.text === 'berapa biaya paspor?')).toBe(true);
    // Her own note on this ticket is there for her.
    await siti.call('POST', `/api/tickets/${second}/messages`, { text: 'CATATAN-SITI', internal: true });
    expect((await siti.call('GET', `/api/tickets/${second}`)).body).toContain('CATATAN-SITI');
    // A supervisor sees the whole history, notes included.
    const sari = await h.login('sari');
    const all = await sari.call('GET', `/api/tickets/${second}`);
    expect(all.body).toContain('CATATAN-RAHASIA-BUDI');
    expect(all.body).toContain('081234567890');
    expect((all.json() as { hiddenMessages: number }).hiddenMessages).toBe(0);
    // Budi, holding #1, sees #1's notes from #2 too (he may act on both).
    expect((await budi.call('GET', `/api/tickets/${second}`)).body).toContain('CATATAN-RAHASIA-BUDI');
  });
});

describe('files holding personal data are private', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('creates the database, WAL and shared memory 0600 in a 0700 data/ folder, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const path = join(tmp, 'fresh', 'data', 'sapa.db');
      const db = openDatabase(path);
      db.prepare('INSERT INTO audit_log (action, created_at) VALUES (?, ?)').run('login', 1);
      expect(mode(join(tmp, 'fresh', 'data'))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      expect(mode(`${path}-shm`)).toBe(0o600);
      const backup = join(tmp, 'fresh', 'backup.db');
      await backupDatabase(db, backup);
      expect(mode(backup)).toBe(0o600);
      db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('narrows an existing data/ folder and database made 0755/0644 by an older version', () => {
    const dir = join(tmp, 'old', 'data');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    const path = join(dir, 'sapa.db');
    openDatabase(path).close();
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const db = openDatabase(path);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    db.close();
  });

  it('leaves a shared sticky folder such as /tmp alone', () => {
    const before = mode(tmpdir());
    const db = openDatabase(join(tmpdir(), `sapa-mode-${process.pid}.db`));
    db.close();
    expect(mode(tmpdir())).toBe(before);
    rmSync(join(tmpdir(), `sapa-mode-${process.pid}.db`), { force: true });
    rmSync(join(tmpdir(), `sapa-mode-${process.pid}.db-wal`), { force: true });
    rmSync(join(tmpdir(), `sapa-mode-${process.pid}.db-shm`), { force: true });
  });

  it('sets the umask to 077 (sapa start and every CLI command call this first)', () => {
    const previous = process.umask(0o022);
    try {
      restrictUmask();
      const now = process.umask(0o022);
      expect(now).toBe(0o077);
      process.umask(now);
      const file = join(tmp, 'umask-probe.txt');
      writeFileSync(file, 'x');
      expect(mode(file)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});
