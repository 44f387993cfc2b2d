/**
 * Admin screens' API (#18 part C): the audit log with paging and filters, re-enabling an
 * account, role changes (never one's own, so an admin always remains), password reset keeping the
 * strength rule and ending sessions; every change in the audit log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, PASSWORD, type Harness } from './dashboard-harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

interface AuditJson {
  entries: { id: number; username: string | null; action: string; target?: string; data?: Record<string, unknown>; ip?: string; createdAt: string }[];
  nextBefore: number | null;
}

describe('GET /api/audit', () => {
  it('pages newest first with a stable "before" cursor and filters by action, who, target and day', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    await h.login('siti');
    h.t.clock.advance(60_000);
    await h.login('budi');
    for (let i = 0; i < 5; i++) {
      h.t.clock.advance(60_000);
      expect((await admin.call('POST', '/api/staff/budi/unlock')).statusCode).toBe(200);
    }
    // 3 logins + 5 unlocks.
    const first = (await admin.call('GET', '/api/audit?limit=3')).json() as AuditJson;
    expect(first.entries.map((e) => e.action)).toEqual(['staff_unlocked', 'staff_unlocked', 'staff_unlocked']);
    expect(first.nextBefore).toBe(first.entries[2]!.id);
    // An entry added between pages does not shift the next page.
    await h.login('sari');
    const second = (await admin.call('GET', `/api/audit?limit=3&before=${first.nextBefore}`)).json() as AuditJson;
    expect(second.entries.map((e) => e.action)).toEqual(['staff_unlocked', 'staff_unlocked', 'login']);
    expect(second.entries[2]!.username).toBe('budi');
    const third = (await admin.call('GET', `/api/audit?limit=3&before=${second.nextBefore}`)).json() as AuditJson;
    expect(third.entries.map((e) => e.username)).toEqual(['siti', 'admin']);
    expect(third.nextBefore).toBeNull();

    const logins = (await admin.call('GET', '/api/audit?action=login')).json() as AuditJson;
    expect(logins.entries.map((e) => e.username)).toEqual(['sari', 'budi', 'siti', 'admin']);
    const byAdmin = (await admin.call('GET', '/api/audit?username=ADMIN&action=staff_unlocked')).json() as AuditJson;
    expect(byAdmin.entries).toHaveLength(5);
    expect(byAdmin.entries.every((e) => e.target === 'budi')).toBe(true);
    const onSiti = (await admin.call('GET', '/api/audit?target=siti')).json() as AuditJson;
    expect(onSiti.entries).toEqual([]);

    // Days are office-local (WITA): the harness starts Monday 30 November 2026, 09:00 WITA.
    expect(((await admin.call('GET', '/api/audit?from=2026-11-30&to=2026-11-30')).json() as AuditJson).entries).toHaveLength(9);
    expect(((await admin.call('GET', '/api/audit?from=2026-12-01')).json() as AuditJson).entries).toHaveLength(0);
  });

  it('refuses an unknown action or a bad cursor, and is for admins only', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    expect((await admin.call('GET', '/api/audit?action=drop_table')).statusCode).toBe(400);
    expect((await admin.call('GET', '/api/audit?before=abc')).statusCode).toBe(400);
    expect((await admin.call('GET', '/api/audit?from=2026-13-01')).statusCode).toBe(400);
    const sari = await h.login('sari');
    expect((await sari.call('GET', '/api/audit')).statusCode).toBe(403);
  });
});

describe('account screens', () => {
  it('disables and re-enables an account: sessions end on disable, login works again after enable, both audited', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    const budi = await h.login('budi');
    expect((await admin.call('POST', '/api/staff/budi/disable')).statusCode).toBe(200);
    expect((await budi.call('GET', '/api/session')).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'budi', password: PASSWORD } })).statusCode).toBe(401);

    const enabled = await admin.call('POST', '/api/staff/budi/enable');
    expect(enabled.statusCode).toBe(200);
    expect((enabled.json() as { staff: { disabled: boolean } }).staff.disabled).toBe(false);
    expect((await h.login('budi')).username).toBe('budi');
    const audit = (await admin.call('GET', '/api/audit?target=budi')).json() as AuditJson;
    expect(audit.entries.map((e) => e.action)).toEqual(['staff_enabled', 'staff_disabled']);
    // Enabling an active account changes nothing and records nothing.
    await admin.call('POST', '/api/staff/budi/enable');
    expect(((await admin.call('GET', '/api/audit?target=budi')).json() as AuditJson).entries).toHaveLength(2);
  });

  it('changes a role at once (the next request has it), never one\'s own', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    const sari = await h.login('sari');
    expect((await sari.call('GET', '/api/reports')).statusCode).toBe(200);
    const demoted = await admin.call('POST', '/api/staff/sari/role', { role: 'staff' });
    expect(demoted.statusCode).toBe(200);
    expect((await sari.call('GET', '/api/reports')).statusCode).toBe(403);
    const audit = (await admin.call('GET', '/api/audit?action=staff_role_changed')).json() as AuditJson;
    expect(audit.entries[0]).toMatchObject({ username: 'admin', target: 'sari', data: { from: 'supervisor', to: 'staff' } });

    expect((await admin.call('POST', '/api/staff/admin/role', { role: 'staff' })).statusCode).toBe(409);
    expect((await admin.call('POST', '/api/staff/sari/role', { role: 'root' })).statusCode).toBe(400);
    expect((await sari.call('POST', '/api/staff/budi/role', { role: 'admin' })).statusCode).toBe(403);

    // Two admins: the other may demote this one; the one left cannot demote themself.
    expect((await admin.call('POST', '/api/staff/budi/role', { role: 'admin' })).statusCode).toBe(200);
    const budi = await h.login('budi');
    expect((await budi.call('POST', '/api/staff/admin/role', { role: 'supervisor' })).statusCode).toBe(200);
    expect((await budi.call('POST', '/api/staff/budi/role', { role: 'staff' })).statusCode).toBe(409);
    expect(h.staff.list().filter((a) => a.role === 'admin').map((a) => a.username)).toEqual(['budi']);
  });

  it('resets a password with the strength rule, ends the old sessions and audits it', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    const siti = await h.login('siti');
    const weak = await admin.call('POST', '/api/staff/siti/password', { password: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect((weak.json() as { error: { message: string } }).error.message).toMatch(/too weak/);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(200);

    const ok = await admin.call('POST', '/api/staff/siti/password', { password: 'sepeda-biru-lasiana' });
    expect(ok.statusCode).toBe(200);
    expect((await siti.call('GET', '/api/session')).statusCode).toBe(401);
    const login = await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'siti', password: 'sepeda-biru-lasiana' } });
    expect(login.statusCode).toBe(200);
    const audit = (await admin.call('GET', '/api/audit?action=staff_password_set')).json() as AuditJson;
    expect(audit.entries.map((e) => e.target)).toEqual(['siti']);
  });
});

describe('report drill-down', () => {
  it('lists the tickets behind a figure: by channel, SLA verdict and integrity report, for supervisors only', async () => {
    h = await createHarness();
    const a = await h.complaint('antrian lama sekali, saya kecewa', 'pemohon-a');
    const b = await h.complaint('ada calo di depan kantor minta uang 2 juta supaya paspor cepat jadi', 'pemohon-b');
    const sari = await h.login('sari');
    const all = (await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30')).json() as { total: number; tickets: { id: number; ref: string; firstResponse: string }[] };
    expect(all.tickets.map((t) => t.id).sort()).toEqual([a, b].sort());
    const integrity = (await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30&integrity=1')).json() as { tickets: { id: number }[] };
    expect(integrity.tickets.map((t) => t.id)).toEqual([b]);
    const report = (await sari.call('GET', '/api/reports?from=2026-11-30&to=2026-11-30')).json() as { integrity: { ticketId: number }[] };
    expect(report.integrity.map((r) => r.ticketId)).toEqual([b]);
    expect(((await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30&channel=web')).json() as { total: number }).total).toBe(0);
    expect(((await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30&channel=telegram')).json() as { total: number }).total).toBe(2);
    // Nobody answered: once the window has passed (high priority: 30 min) the integrity ticket is breached.
    expect(((await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30&sla=breached')).json() as { total: number }).total).toBe(0);
    h.t.clock.advance(3 * 3_600_000);
    const breached = (await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30&sla=breached')).json() as { tickets: { id: number }[] };
    expect(breached.tickets.map((t) => t.id).sort()).toEqual([a, b].sort());
    expect((await sari.call('GET', '/api/reports/tickets?sla=late')).statusCode).toBe(400);
    const siti = await h.login('siti');
    expect((await siti.call('GET', '/api/reports/tickets')).statusCode).toBe(403);
  });
});
