/**
 * The Knowledge page's list (#18 part C): survey comments are answers to the bot's
 * question, not questions it failed to answer, so they are left out; a real unknown
 * question stays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './dashboard-harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('GET /api/knowledge/unanswered', () => {
  it('leaves out satisfaction-survey comments and keeps a question the bot could not answer', async () => {
    h = await createHarness();
    const ticketId = await h.complaint('antrian lama sekali, saya kecewa', 'pemohon-a');
    const siti = await h.login('siti');
    expect((await siti.call('POST', `/api/tickets/${ticketId}/claim`)).statusCode).toBe(200);
    expect((await siti.call('POST', `/api/tickets/${ticketId}/messages`, { text: 'Mohon maaf, sudah kami bantu.' })).statusCode).toBe(201);
    expect((await siti.call('POST', `/api/tickets/${ticketId}/resolve`)).statusCode).toBe(200);
    await h.t.settle();
    await h.t.say('4', { from: 'pemohon-a' });
    // A neutral remark: no question the bot can answer, and no praise it would thank for.
    const comment = 'biasa saja, tidak ada yang istimewa';
    await h.t.say(comment, { from: 'pemohon-a' });
    const stored = h.t.db.prepare<[number], { comment: string | null }>('SELECT comment FROM csat_ratings WHERE ticket_id = ?').get(ticketId);
    expect(stored?.comment).toBe(comment);

    // The same words typed outside a survey are a question the bot did not understand.
    await h.t.say(comment, { from: 'pemohon-b' });
    await h.t.say('apakah ada kantin untuk pemohon di dalam gedung', { from: 'pemohon-c' });

    const list = (await siti.call('GET', '/api/knowledge/unanswered?from=2026-11-30&to=2026-11-30')).json() as {
      questions: { text: string; count: number }[];
    };
    const texts = list.questions.map((q) => q.text);
    expect(texts).toContain('apakah ada kantin untuk pemohon di dalam gedung');
    // Counted once (pemohon-b), not twice: pemohon-a's survey comment is left out.
    expect(list.questions.find((q) => q.text === comment)?.count).toBe(1);
    expect(texts).not.toContain('4');
  });
});
