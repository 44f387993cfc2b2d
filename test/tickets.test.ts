import { afterEach, describe, expect, it } from 'vitest';
import { TicketError } from '../src/tickets.js';
import { listTicketEvents } from '../src/store/tickets.js';
import { createTestCore, type TestCore } from './helpers/core.js';

let t: TestCore;
afterEach(() => t?.close());

async function openComplaint(): Promise<number> {
  await t.say('antrian sangat lama, petugas tidak peduli, kecewa');
  const row = t.db.prepare('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get() as { id: number };
  return row.id;
}

function addStaff(username: string): number {
  return Number(t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES (?, 'staff', 0)").run(username).lastInsertRowid);
}

describe('ticket lifecycle', () => {
  it('goes open -> pending -> open -> resolved -> closed, recording every change', async () => {
    t = createTestCore();
    const id = await openComplaint();
    const staff = addStaff('ani');
    t.core.tickets.claim(id, staff);
    t.clock.advance(10 * 60_000);
    t.core.tickets.setStatus(id, 'pending', { type: 'staff', staffId: staff });
    expect(t.core.tickets.get(id).status).toBe('pending');
    expect(t.core.tickets.get(id).pendingSince?.toISOString()).toBe(t.clock.now().toISOString());
    // The applicant answers: pending -> open.
    t.clock.advance(60 * 60_000);
    await t.say('ini nomor antrian saya A-102');
    expect(t.core.tickets.get(id).status).toBe('open');
    t.core.tickets.setStatus(id, 'resolved', { type: 'staff', staffId: staff });
    expect(t.core.tickets.get(id).resolvedAt).not.toBeNull();
    t.core.tickets.setStatus(id, 'closed', { type: 'system' });
    const types = listTicketEvents(t.db, id).map((e) => `${e.type}:${String(e.data['to'] ?? '')}`);
    expect(types).toEqual(['opened:', 'claimed:', 'status:pending', 'status:open', 'status:resolved', 'status:closed']);
    const who = listTicketEvents(t.db, id).find((e) => e.type === 'claimed');
    expect(who?.staffId).toBe(staff);
  });

  it('refuses transitions that make no sense', async () => {
    t = createTestCore();
    const id = await openComplaint();
    t.core.tickets.setStatus(id, 'closed', { type: 'system' });
    expect(() => t.core.tickets.setStatus(id, 'pending', { type: 'system' })).toThrow(TicketError);
    expect(() => t.core.tickets.staffReply(id, null, 'halo')).toThrow(/closed/);
    expect(() => t.core.tickets.get(999)).toThrow(/does not exist/);
  });

  it('a staff reply is delivered through the outbox and starts the first-response record', async () => {
    t = createTestCore();
    const id = await openComplaint();
    const staff = addStaff('budi');
    t.clock.advance(30 * 60_000);
    const { messageId } = t.core.tickets.staffReply(id, staff, 'Mohon maaf, Bapak. Kami cek sekarang.');
    const ticket = t.core.tickets.get(id);
    expect(ticket.firstResponseAt?.toISOString()).toBe(t.clock.now().toISOString());
    expect(ticket.assigneeId).toBe(staff);
    expect(ticket.awaitingReplySince).toBeNull();
    await t.settle();
    const last = t.channel.sent.at(-1);
    expect(last?.text).toBe('Mohon maaf, Bapak. Kami cek sekarang.');
    expect(last?.author).toBe('staff');
    expect(last?.messageId).toBe(messageId);
    // A later reply does not move the first response.
    t.clock.advance(60_000);
    t.core.tickets.staffReply(id, staff, 'Sudah kami teruskan.');
    expect(t.core.tickets.get(id).firstResponseAt?.toISOString()).toBe(ticket.firstResponseAt?.toISOString());
  });

  it('an internal note is stored for staff and never delivered', async () => {
    t = createTestCore();
    const id = await openComplaint();
    const before = t.channel.sent.length;
    t.core.tickets.addNote(id, addStaff('cici'), 'Cek CCTV loket 3');
    await t.settle();
    expect(t.channel.sent.length).toBe(before);
    const note = t.db.prepare("SELECT visibility, delivery_status FROM messages WHERE text = 'Cek CCTV loket 3'").get();
    expect(note).toEqual({ visibility: 'internal', delivery_status: null });
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.visibility = ?').get('internal')).toEqual({ n: 0 });
  });

  it('stores SLA due times and pauses the resolution clock while pending', async () => {
    t = createTestCore();
    const id = await openComplaint();
    const opened = t.core.tickets.get(id);
    expect(opened.firstResponseDueAt?.toISOString()).toBe('2026-11-30T03:00:00.000Z');
    expect(opened.resolutionDueAt).not.toBeNull();
    const resolutionDue = opened.resolutionDueAt!.getTime();
    t.core.tickets.staffReply(id, null, 'Kami perlu nomor antrian Bapak.');
    t.core.tickets.setStatus(id, 'pending', { type: 'staff' });
    t.clock.advance(2 * 3600_000); // two office hours pass while pending
    t.core.tickets.setStatus(id, 'open', { type: 'applicant' });
    const after = t.core.tickets.get(id);
    expect(after.resolutionDueAt!.getTime() - resolutionDue).toBe(2 * 3600_000);
  });

  it('a reopen continues the same resolution clock and counts the reopen', async () => {
    t = createTestCore();
    const id = await openComplaint();
    t.core.tickets.setStatus(id, 'resolved', { type: 'staff' });
    t.clock.advance(3600_000);
    const reopened = t.core.tickets.reopen(id, { type: 'applicant' });
    expect(reopened.status).toBe('open');
    expect(reopened.reopenCount).toBe(1);
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.awaitingReplySince?.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('changes priority and SERVQUAL dimension with an event each', async () => {
    t = createTestCore();
    const id = await openComplaint();
    t.core.tickets.setPriority(id, 'high', { type: 'staff' });
    t.core.tickets.setServqual(id, 'empathy', { type: 'staff' });
    const ticket = t.core.tickets.get(id);
    expect([ticket.priority, ticket.servqual]).toEqual(['high', 'empathy']);
    const types = listTicketEvents(t.db, id).map((e) => e.type);
    expect(types).toContain('priority');
    expect(types).toContain('servqual');
    // High priority shortens the first-response window (30 minutes from opening).
    expect(ticket.firstResponseDueAt?.toISOString()).toBe('2026-11-30T01:30:00.000Z');
  });
});
