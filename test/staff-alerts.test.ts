import { afterEach, describe, expect, it } from 'vitest';
import { ticketOfStaffPost } from '../src/staff-alerts.js';
import { createTestCore, type TestCore } from './helpers/core.js';

let t: TestCore;
afterEach(() => t?.close());

const targets = [
  { channel: 'telegram', externalId: '-100777', audience: 'staff' },
  { channel: 'telegram', externalId: '555', audience: 'supervisor' },
] as const;

describe('staff alerts', () => {
  it('posts a new ticket to the staff group with claim/resolve buttons and a masked excerpt', async () => {
    t = createTestCore({ alertTargets: targets });
    await t.say('saya kecewa, NIK saya 5371012345678901 dan HP 081234567890 tidak bisa daftar, pelayanan buruk');
    const post = t.channel.sent.find((m) => m.conversationExternalId === '-100777');
    expect(post).toBeDefined();
    expect(post!.author).toBe('system');
    expect(post!.text).toMatch(/Tiket #1/);
    expect(post!.text).not.toContain('5371012345678901');
    expect(post!.text).not.toContain('081234567890');
    expect(post!.text).toContain('5371************');
    expect(post!.quickReplies.map((q) => q.payload)).toEqual(['staff:claim:1', 'staff:resolve:1']);
    // Supervisors are not bothered with ordinary complaints.
    expect(t.channel.sent.some((m) => m.conversationExternalId === '555')).toBe(false);
    // A reply to that post can be traced back to the ticket.
    const row = t.db.prepare("SELECT external_id FROM messages WHERE alert_id IS NOT NULL").get() as { external_id: string };
    expect(ticketOfStaffPost(t.db, 'telegram', '-100777', row.external_id)).toBe(1);
  });

  it('sends integrity reports to supervisors at once', async () => {
    t = createTestCore({ alertTargets: targets });
    await t.say('ada oknum minta uang pelicin 500 ribu supaya cepat, ini pungli');
    const supervisor = t.channel.sent.filter((m) => m.conversationExternalId === '555');
    expect(supervisor).toHaveLength(1);
    expect(supervisor[0]!.text).toMatch(/integritas/);
    expect(t.core.alerts.recent(10).map((a) => a.kind).sort()).toEqual(['integrity_report', 'ticket_opened']);
  });

  it('keeps staff-target conversations out of the applicant ones', async () => {
    t = createTestCore({ alertTargets: targets });
    await t.say('pelayanan buruk sekali, kecewa');
    const kinds = t.db.prepare('SELECT kind, COUNT(*) AS n FROM contacts GROUP BY kind ORDER BY kind').all();
    expect(kinds).toEqual([
      { kind: 'applicant', n: 1 },
      { kind: 'staff_target', n: 1 },
    ]);
  });
});
