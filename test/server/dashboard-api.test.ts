/** The dashboard JSON API, endpoint by endpoint and role by role. */
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPath } from '../../src/paths.js';
import { createHarness, type Harness, type Officer } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => h?.close());

interface TicketJson {
  id: number;
  ref: string;
  status: string;
  priority: string;
  assignee: { id: number; username: string } | null;
  servqual: string;
  summary: string;
  sla: { state: string; nextDueAt: string | null };
  [key: string]: unknown;
}

const tickets = async (officer: Officer, query = '') =>
  ((await officer.call('GET', `/api/tickets${query}`)).json() as { tickets: TicketJson[] }).tickets;

describe('tickets API', () => {
  it('lists open tickets with the contract fields, nearest SLA due first, with filters', async () => {
    h = await createHarness();
    const first = await h.complaint('saya mau komplain, loket tutup lebih awal', 'a1');
    h.t.clock.advance(10 * 60_000);
    const second = await h.complaint('saya mau lapor, ada calo minta uang tambahan di depan kantor', 'a2');
    const siti = await h.login('siti');
    const list = await tickets(siti);
    expect(list.map((t) => t.id).sort()).toEqual([first, second].sort());
    for (const key of ['id', 'ref', 'status', 'priority', 'channel', 'intent', 'servqual', 'assignee', 'createdAt', 'firstResponseDueAt', 'firstResponseAt', 'escalationLevel']) {
      expect(list[0]).toHaveProperty(key);
    }
    expect(list[0]?.ref).toBe(`#${list[0]?.id}`);
    // The integrity report is high priority: 30 min window, due before the normal one's 2 h.
    expect(list[0]).toMatchObject({ id: second, priority: 'high' });
    expect(await tickets(siti, '?priority=high')).toHaveLength(1);
    expect(await tickets(siti, '?priority=normal')).toHaveLength(1);
    expect(await tickets(siti, '?channel=web')).toHaveLength(0);
    expect(await tickets(siti, '?channel=telegram')).toHaveLength(2);
    await siti.call('POST', `/api/tickets/${first}/claim`);
    expect((await tickets(siti, '?assignee=me')).map((t) => t.id)).toEqual([first]);
    expect((await tickets(siti, '?assignee=none')).map((t) => t.id)).toEqual([second]);
    expect((await tickets(siti, '?assignee=siti')).map((t) => t.id)).toEqual([first]);
    expect(await tickets(siti, '?status=resolved')).toHaveLength(0);
    const bad = await siti.call('GET', '/api/tickets?status=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'VALIDATION', message: 'status must be one of open, pending, resolved, closed, active, all' } });
    expect((await siti.call('GET', '/api/tickets?assignee=ghost')).statusCode).toBe(400);
  });

  it('marks overdue and warning tickets', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, petugas tidak ramah');
    const siti = await h.login('siti');
    h.t.clock.advance(95 * 60_000); // 95 of 120 business minutes: past warn_at 0.75
    expect((await tickets(siti)).find((t) => t.id === id)?.sla.state).toBe('warning');
    h.t.clock.advance(30 * 60_000);
    expect((await tickets(siti)).find((t) => t.id === id)?.sla.state).toBe('overdue');
  });

  it('shows one ticket with the contact’s whole history, notes and audit trail', async () => {
    h = await createHarness();
    await h.t.say('berapa biaya paspor?', { from: 'a1' });
    const id = await h.complaint('saya mau komplain, antre dari subuh tidak dilayani', 'a1');
    const siti = await h.login('siti');
    await siti.call('POST', `/api/tickets/${id}/messages`, { text: 'cek CCTV loket 2', internal: true });
    const response = await siti.call('GET', `/api/tickets/${id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json() as { ticket: TicketJson; messages: { author: string; visibility: string; text: string; staff: string | null }[]; events: { type: string; staff: string | null }[] };
    expect(body.ticket).toMatchObject({ id, ref: `#${id}`, status: 'open', language: 'id' });
    expect(body.messages.map((m) => m.author)).toEqual(['applicant', 'bot', 'applicant', 'bot', 'staff']);
    expect(body.messages[0]?.text).toBe('berapa biaya paspor?'); // before the ticket: still shown
    expect(body.messages[4]).toMatchObject({ visibility: 'internal', staff: 'siti', text: 'cek CCTV loket 2' });
    expect(body.events.map((e) => e.type)).toEqual(['opened', 'note']);
    expect(body.events[1]?.staff).toBe('siti');
    expect((await siti.call('GET', '/api/tickets/999')).statusCode).toBe(404);
    expect((await siti.call('GET', '/api/tickets/abc')).statusCode).toBe(400);
  });

  it('claims, replies through the outbox, resolves, closes and reopens', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, petugas loket kasar sekali');
    const siti = await h.login('siti');
    const claimed = await siti.call('POST', `/api/tickets/${id}/claim`);
    expect(claimed.json()).toMatchObject({ ticket: { assignee: { username: 'siti' } } });
    const sent = await siti.call('POST', `/api/tickets/${id}/messages`, { text: 'Baik Bapak, kami cek sekarang.' });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ ticket: { firstResponseAt: '2026-11-30T01:00:00.000Z' } });
    await h.t.settle();
    expect(h.t.channel.textsTo('applicant-1')).toContain('Baik Bapak, kami cek sekarang.');
    await siti.call('POST', `/api/tickets/${id}/messages`, { text: 'catatan rahasia', internal: true });
    await h.t.settle();
    expect(h.t.channel.sent.map((m) => m.text)).not.toContain('catatan rahasia');
    expect((await siti.call('POST', `/api/tickets/${id}/messages`, { text: '   ' })).statusCode).toBe(400);
    expect((await siti.call('POST', `/api/tickets/${id}/messages`, { text: 'x', internal: 'yes' })).statusCode).toBe(400);
    expect((await siti.call('POST', `/api/tickets/${id}/pending`)).json()).toMatchObject({ ticket: { status: 'pending' } });
    expect((await siti.call('POST', `/api/tickets/${id}/resolve`)).json()).toMatchObject({ ticket: { status: 'resolved' } });
    expect((await siti.call('POST', `/api/tickets/${id}/pending`)).statusCode).toBe(409);
    expect((await siti.call('POST', `/api/tickets/${id}/close`)).json()).toMatchObject({ ticket: { status: 'closed' } });
    const closedReply = await siti.call('POST', `/api/tickets/${id}/messages`, { text: 'halo' });
    expect(closedReply.statusCode).toBe(409);
    expect(closedReply.json()).toHaveProperty('error.code', 'CONFLICT');
    expect((await siti.call('POST', `/api/tickets/${id}/reopen`)).json()).toMatchObject({ ticket: { status: 'open' } });
    expect((await siti.call('POST', `/api/tickets/${id}/release`)).json()).toMatchObject({ ticket: { assignee: null } });
    const actors = h.t.db.prepare<[number], { type: string; staff_id: number | null }>('SELECT type, staff_id FROM ticket_events WHERE ticket_id = ? ORDER BY id').all(id);
    expect(actors.filter((e) => e.type !== 'opened').every((e) => e.staff_id === siti.id)).toBe(true);
  });

  it('edits priority and SERVQUAL dimension', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, ruang tunggu panas sekali');
    const siti = await h.login('siti');
    const edited = await siti.call('PATCH', `/api/tickets/${id}`, { priority: 'high', servqual: 'tangibles' });
    expect(edited.json()).toMatchObject({ ticket: { priority: 'high', servqual: 'tangibles' } });
    // High priority: the first-response window shrinks to 30 min.
    expect((edited.json() as { ticket: TicketJson }).ticket['firstResponseDueAt']).toBe('2026-11-30T01:30:00.000Z');
    expect((await siti.call('PATCH', `/api/tickets/${id}`, { servqual: 'speed' })).statusCode).toBe(400);
    expect((await siti.call('PATCH', `/api/tickets/${id}`, {})).statusCode).toBe(400);
  });

  it('lets a staff officer act on free and own tickets only (a colleague\'s is read-only); supervisors act on and take over every ticket', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, dokumen saya hilang di loket');
    const budi = await h.login('budi');
    const siti = await h.login('siti');
    const sari = await h.login('sari');
    await budi.call('POST', `/api/tickets/${id}/claim`);
    // Team view: siti sees budi's ticket, read-only (dashboard-desk.test.ts has the details).
    expect((await tickets(siti)).map((t) => [t.id, t['access']])).toEqual([[id, 'read']]);
    expect((await siti.call('GET', `/api/tickets/${id}`)).json()).toHaveProperty('access', 'read');
    for (const [method, url] of [
      ['POST', `/api/tickets/${id}/claim`],
      ['POST', `/api/tickets/${id}/messages`],
      ['POST', `/api/tickets/${id}/resolve`],
      ['PATCH', `/api/tickets/${id}`],
    ] as const) {
      const response = await siti.call(method, url, { text: 'x', priority: 'high' });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json()).toHaveProperty('error.code', 'FORBIDDEN');
    }
    expect((await tickets(sari)).map((t) => t['access'])).toEqual(['full']);
    expect((await sari.call('POST', `/api/tickets/${id}/claim`)).json()).toMatchObject({ ticket: { assignee: { username: 'sari' } } });
    expect((await sari.call('GET', '/api/tickets?assignee=budi')).json()).toEqual({ tickets: [] });
  });

  it('offers canned answers drawn from intents/', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    const { answers } = (await siti.call('GET', '/api/canned')).json() as { answers: { intent: string; label: string; text: string }[] };
    const fees = answers.find((a) => a.intent === 'fees');
    expect(fees?.text).toContain('Rp');
    expect(answers.some((a) => a.intent === 'greeting' || a.intent === 'out_of_scope')).toBe(false);
    const english = (await siti.call('GET', '/api/canned?language=en')).json() as { answers: { intent: string; text: string }[] };
    expect(english.answers.find((a) => a.intent === 'fees')?.text).not.toBe(fees?.text);
  });
});

describe('alerts, channels, accounts, reports', () => {
  it('shows alerts by audience', async () => {
    h = await createHarness();
    await h.complaint('saya mau lapor ada calo minta uang tambahan');
    const siti = await h.login('siti');
    const sari = await h.login('sari');
    const staffKinds = ((await siti.call('GET', '/api/alerts')).json() as { alerts: { kind: string }[] }).alerts.map((a) => a.kind);
    const supervisorKinds = ((await sari.call('GET', '/api/alerts')).json() as { alerts: { kind: string }[] }).alerts.map((a) => a.kind);
    expect(staffKinds).toEqual(['ticket_opened']);
    expect(supervisorKinds.sort()).toEqual(['integrity_report', 'ticket_opened']);
  });

  it('reports channel status to admins only, passing needs_attention through', async () => {
    h = await createHarness();
    h.t.core.addChannel({
      name: 'whatsapp',
      capabilities: { quickReplies: false, inboundMedia: true, outboundMedia: false, maxTextLength: 4096 },
      status: () => ({ state: 'needs_attention', reason: 'not linked', action: 'Scan the QR code with the office phone' }),
      start: async () => undefined,
      stop: async () => undefined,
      send: async () => ({ ok: false, kind: 'retryable', error: 'not linked' }),
      linkingPrompt: async () => ({ qrDataUrl: 'data:image/png;base64,iVBORw0KGgo=', pairingCode: 'ABCD-EFGH' }),
    });
    const admin = await h.login('admin');
    const { channels } = (await admin.call('GET', '/api/channels')).json() as { channels: { name: string; status: Record<string, string> }[] };
    expect(channels.find((c) => c.name === 'web')?.status).toEqual({ state: 'connected' });
    // The QR (as an image URL) and the pairing code reach the admin's channel page.
    expect(channels.find((c) => c.name === 'whatsapp')?.status).toEqual({
      state: 'needs_attention',
      reason: 'not linked',
      action: 'Scan the QR code with the office phone',
      qr: 'data:image/png;base64,iVBORw0KGgo=',
      pairingCode: 'ABCD-EFGH',
    });
    expect((await (await h.login('sari')).call('GET', '/api/channels')).statusCode).toBe(403);
    expect((await (await h.login('siti')).call('GET', '/api/channels')).statusCode).toBe(403);
  });

  it('manages accounts (admin) and records it in the audit log', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    const added = await admin.call('POST', '/api/staff', { username: 'yohana', password: 'kupang-kota-2026', role: 'supervisor', displayName: 'Yohana' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ staff: { username: 'yohana', role: 'supervisor', disabled: false } });
    expect((await admin.call('POST', '/api/staff', { username: 'yohana', password: 'kupang-kota-2026', role: 'staff' })).statusCode).toBe(409);
    expect((await admin.call('POST', '/api/staff', { username: 'lina', password: 'pendek', role: 'staff' })).statusCode).toBe(400);
    expect((await admin.call('POST', '/api/staff', { username: 'lina', password: 'cukup-panjang-1', role: 'boss' })).statusCode).toBe(400);
    expect((await admin.call('POST', '/api/staff/ghost/disable')).statusCode).toBe(404);
    expect((await admin.call('POST', '/api/staff/admin/disable')).statusCode).toBe(409);
    expect((await admin.call('POST', '/api/staff/yohana/password', { password: 'kata-sandi-baru-1' })).statusCode).toBe(200);
    const audit = (await admin.call('GET', '/api/audit')).json() as { entries: { action: string; target?: string; username: string }[] };
    expect(audit.entries.slice(0, 2).map((e) => [e.action, e.target, e.username])).toEqual([
      ['staff_password_set', 'yohana', 'admin'],
      ['staff_added', 'yohana', 'admin'],
    ]);
    const siti = await h.login('siti');
    for (const [method, url] of [
      ['GET', '/api/staff'],
      ['POST', '/api/staff'],
      ['POST', '/api/staff/budi/disable'],
      ['GET', '/api/audit'],
    ] as const) {
      expect((await siti.call(method, url, method === 'POST' ? {} : undefined)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await (await h.login('sari')).call('GET', '/api/staff')).statusCode).toBe(200);
    expect((await (await h.login('sari')).call('POST', '/api/staff/budi/disable')).statusCode).toBe(403);
  });

  it('serves reports and SVG charts to supervisors, unanswered questions to staff', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, loket lambat');
    await h.t.say('bisakah pesan tiket pesawat ke bali', { from: 'x1' });
    h.t.clock.advance(30 * 60_000);
    h.t.core.tickets.staffReply(id, h.staff.findByUsername('siti')!.id, 'Baik.');
    const sari = await h.login('sari');
    const report = await sari.call('GET', '/api/reports?from=2026-11-30&to=2026-11-30');
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({
      from: '2026-11-30',
      firstResponse: { total: { opened: 1, answered: 1, medianMs: 30 * 60_000, p90Ms: 30 * 60_000 } },
      compliance: { total: { firstResponse: { met: 1, breached: 0, rate: 1 } } },
      volume: { tickets: 1, byChannel: [{ key: 'telegram', count: 1 }] },
    });
    expect((await sari.call('GET', '/api/reports')).json()).toMatchObject({ from: '2026-11-24', to: '2026-11-30' });
    for (const chart of ['first-response', 'compliance', 'channel', 'intent', 'servqual']) {
      const svg = await sari.call('GET', `/api/reports/charts/${chart}?from=2026-11-24&to=2026-11-30`);
      expect(svg.statusCode, chart).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(svg.body).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
    expect((await sari.call('GET', '/api/reports/charts/pie')).statusCode).toBe(400);
    expect((await sari.call('GET', '/api/reports?from=2026-13-01')).json()).toHaveProperty('error.code', 'VALIDATION');
    const siti = await h.login('siti');
    expect((await siti.call('GET', '/api/reports')).statusCode).toBe(403);
    expect((await siti.call('GET', '/api/reports/charts/intent')).statusCode).toBe(403);
    const unanswered = (await siti.call('GET', '/api/knowledge/unanswered')).json() as { questions: { text: string; count: number }[] };
    expect(unanswered.questions).toEqual([expect.objectContaining({ text: 'bisakah pesan tiket pesawat ke bali', count: 1 })]);
  });
});

describe('live updates and escaping', () => {
  it('streams ticket events to a signed-in officer over server-sent events', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as AddressInfo).port;
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { cookie: siti.cookie }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const id = await h.complaint('saya mau komplain, antrean tidak jelas');
    const deadline = Date.now() + 5000;
    while (!buffer.includes('"change":"opened"')) {
      if (Date.now() > deadline) throw new Error(`no event: ${buffer}`);
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value);
    }
    expect(buffer).toContain(`event: ticket\ndata: {"ticketId":${id},"change":"opened","assigneeId":null}`);
    controller.abort();
    const anonymous = await fetch(`http://127.0.0.1:${port}/api/events`);
    expect(anonymous.status).toBe(401);
  });

  it('returns applicant script payloads as plain data, and the pages insert text only with textContent', async () => {
    h = await createHarness();
    const payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';
    const id = await h.complaint(`saya mau komplain, petugas loket kasar sekali ${payload}`);
    const siti = await h.login('siti');
    const detail = await siti.call('GET', `/api/tickets/${id}`);
    expect(detail.headers['content-type']).toMatch(/^application\/json/);
    expect((detail.json() as { messages: { text: string }[] }).messages[0]?.text).toBe(`saya mau komplain, petugas loket kasar sekali ${payload}`);

    const dir = repoPath('src', 'server', 'dashboard');
    for (const file of readdirSync(`${dir}/static`).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(`${dir}/static/${file}`, 'utf8');
      expect(source, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    }
    for (const file of readdirSync(`${dir}/pages`)) {
      const html = readFileSync(`${dir}/pages/${file}`, 'utf8');
      expect(html, file).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|style=/);
    }
  });
});
