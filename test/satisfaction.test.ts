import { afterEach, describe, expect, it } from 'vitest';
import { parseRating } from '../src/satisfaction.js';
import { getConversation } from '../src/store/conversations.js';
import { createTestCore, type TestCore } from './helpers/core.js';

let t: TestCore;
afterEach(() => t?.close());

const SUPERVISOR = { channel: 'telegram', externalId: '555', audience: 'supervisor' } as const;

async function resolvedTicket(text = 'antrian lama sekali dan membingungkan, saya kecewa'): Promise<number> {
  await t.say(text);
  const { id } = t.db.prepare('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get() as { id: number };
  t.core.tickets.staffReply(id, null, 'Mohon maaf, sudah kami perbaiki.');
  t.core.tickets.setStatus(id, 'resolved', { type: 'staff' });
  await t.settle();
  return id;
}

const ratings = (): unknown[] => t.db.prepare('SELECT ticket_id, rating, comment FROM csat_ratings').all();

describe('satisfaction survey', () => {
  it('asks for a 1-5 rating with buttons when a ticket is resolved', async () => {
    t = createTestCore();
    const id = await resolvedTicket();
    const survey = t.channel.sent.at(-1)!;
    expect(survey.text).toMatch(/Tiket #1 sudah kami selesaikan/);
    expect(survey.quickReplies.map((q) => q.payload)).toEqual([1, 2, 3, 4, 5].map((n) => `csat:${id}:${n}`));
    expect(getConversation(t.db, 1)?.awaiting).toBe('csat_rating');
  });

  it('records a pressed rating, then an optional comment', async () => {
    t = createTestCore({ alertTargets: [SUPERVISOR] });
    const id = await resolvedTicket();
    const [thanks] = await t.say('⭐⭐⭐⭐', { payload: `csat:${id}:4` });
    expect(thanks).toMatch(/Terima kasih atas penilaiannya/);
    const [noted] = await t.say('petugasnya ramah, tapi antrian perlu dirapikan');
    expect(noted).toMatch(/masukan Bapak\/Ibu sudah kami catat/);
    expect(ratings()).toEqual([{ ticket_id: id, rating: 4, comment: 'petugasnya ramah, tapi antrian perlu dirapikan' }]);
    expect(t.channel.textsTo('555')).toHaveLength(0);
    expect(getConversation(t.db, 1)?.awaiting).toBeNull();
  });

  it('a typed low rating alerts the supervisors, and so does its comment', async () => {
    t = createTestCore({ alertTargets: [SUPERVISOR] });
    const id = await resolvedTicket();
    await t.say('1');
    expect(ratings()).toEqual([{ ticket_id: id, rating: 1, comment: null }]);
    expect(t.channel.textsTo('555')[0]).toMatch(/Penilaian rendah \(1\/5\) untuk #1/);
    await t.say('tidak ada yang berubah, HP saya 081234567890');
    const alerts = t.channel.textsTo('555');
    expect(alerts[1]).toMatch(/Komentar pemohon untuk #1/);
    expect(alerts[1]).not.toContain('081234567890');
  });

  it('lets the applicant skip the comment', async () => {
    t = createTestCore();
    const id = await resolvedTicket();
    await t.say('5');
    const replies = await t.say('Lewati', { payload: 'csat:skip' });
    expect(replies).toHaveLength(0);
    expect(ratings()).toEqual([{ ticket_id: id, rating: 5, comment: null }]);
  });

  it('a new question instead of a rating is answered normally', async () => {
    t = createTestCore();
    await resolvedTicket();
    const [answer] = await t.say('berapa biaya paspor 10 tahun?');
    expect(answer).toContain('Rp950.000');
    expect(ratings()).toEqual([]);
    expect(getConversation(t.db, 1)?.awaiting).toBeNull();
  });

  it('asks only once per ticket, in the applicant’s language', async () => {
    t = createTestCore();
    await t.say('the queue was very long and the officer was rude, I am disappointed');
    const id = 1;
    t.core.tickets.setStatus(id, 'resolved', { type: 'staff' });
    await t.settle();
    expect(t.channel.sent.at(-1)?.text).toMatch(/How would you rate our help/);
    await t.say('4');
    t.core.tickets.reopen(id, { type: 'applicant' });
    t.core.tickets.setStatus(id, 'resolved', { type: 'staff' });
    await t.settle();
    expect(t.channel.sent.filter((m) => /rate our help/.test(m.text))).toHaveLength(1);
  });

  it('reads ratings written in several ways', () => {
    expect(parseRating('5', null, 1)).toBe(5);
    expect(parseRating('nilai 3', null, 1)).toBe(3);
    expect(parseRating('4 bintang', null, 1)).toBe(4);
    expect(parseRating('⭐⭐', null, 1)).toBe(2);
    expect(parseRating('x', 'csat:1:2', 1)).toBe(2);
    expect(parseRating('x', 'csat:9:2', 1)).toBeNull();
    expect(parseRating('6', null, 1)).toBeNull();
    expect(parseRating('tiket 5 belum selesai', null, 1)).toBeNull();
  });
});
