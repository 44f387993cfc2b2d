/**
 * Router steps through the real core, with a stub classifier where a test needs a
 * classification the trained model does not give on demand (a second ask, an unsure or
 * close call): the stub is a fake input, the router under test is real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Classification, Classifier } from '../../src/nlu/types.js';
import { getConversation } from '../../src/store/conversations.js';
import { listTickets } from '../../src/store/tickets.js';
import { createTestCore, testClassifier, type TestCore } from '../helpers/core.js';

let t: TestCore;
afterEach(() => t?.close());

/** The trained classifier, with some messages' classifications overridden. */
function stub(overrides: Record<string, Partial<Classification>>): Classifier {
  const real = testClassifier();
  return {
    classify(text) {
      const base = real.classify(text);
      const override = overrides[text];
      return override ? { ...base, ...override } : base;
    },
  };
}

const buttons = (): string[] => (t.channel.sent.at(-1)?.quickReplies ?? []).map((b) => b.payload);
const tickets = (): ReturnType<typeof listTickets> => listTickets(t.db, { limit: 100 });

describe('two asks in one message', () => {
  it('answers both', async () => {
    const text = 'berapa biaya paspor 10 tahun dan berapa lama jadinya?';
    t = createTestCore({ classifier: stub({ [text]: { intent: 'fees', aspect: null, secondIntent: 'processing_time' } }) });
    const replies = await t.say(text);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('Rp950.000');
    expect(replies[1]).toContain('4 hari kerja');
  });
});

describe('when unsure, ask', () => {
  const unsure = 'paspor saya gimana ya';
  const unsureToo = 'terus yang itu bagaimana';
  const low: Partial<Classification> = {
    intent: 'renewal',
    confidence: 0.32,
    complaint: false,
    aspect: null,
    candidates: [
      { intent: 'renewal', confidence: 0.32 },
      { intent: 'lost_damaged', confidence: 0.27 },
      { intent: 'out_of_scope', confidence: 0.1 },
    ],
  };

  it('asks which topic with the candidates as buttons (and an officer), then answers the one pressed', async () => {
    t = createTestCore({ classifier: stub({ [unsure]: low }) });
    const [question] = await t.say(unsure);
    expect(question).toMatch(/maksud Bapak\/Ibu yang mana/);
    expect(buttons()).toEqual(['intent:renewal', 'intent:lost_damaged', 'intent:human_handoff']);
    expect(tickets()).toHaveLength(0);
    const [answer] = await t.say('Paspor hilang/rusak', { payload: 'intent:lost_damaged' });
    expect(answer).toContain('Rp1.000.000');
    expect(getConversation(t.db, 1)?.missCount).toBe(0);
  });

  it('asks when the top two are close even at a fair confidence', async () => {
    t = createTestCore({
      classifier: stub({
        [unsure]: { intent: 'fees', confidence: 0.55, complaint: false, aspect: null, candidates: [{ intent: 'fees', confidence: 0.55 }, { intent: 'express_service', confidence: 0.45 }, { intent: 'payment', confidence: 0.0 }] },
      }),
    });
    await t.say(unsure);
    expect(buttons()).toEqual(['intent:fees', 'intent:express_service', 'intent:human_handoff']);
  });

  it('counts such turns as misses: the second in a row offers an officer', async () => {
    t = createTestCore({ classifier: stub({ [unsure]: low, [unsureToo]: low }) });
    await t.say(unsure);
    const [offer] = await t.say(unsureToo);
    expect(offer).toMatch(/dihubungkan dengan petugas/);
    expect(buttons()).toEqual(['handoff:yes', 'handoff:no']);
  });

  it('answers a confident message without asking', async () => {
    t = createTestCore();
    const [reply] = await t.say('berapa biaya paspor?');
    expect(reply).toContain('Rp950.000');
    expect(buttons()).not.toContain('intent:human_handoff');
  });
});

describe('conversation memory', () => {
  it('answers a follow-up about the topic under discussion, for the case stated, until the quiet period ends', async () => {
    t = createTestCore();
    await t.say('paspor saya rusak kena air');
    const [fee] = await t.say('biayanya berapa?');
    expect(fee).toMatch(/^Biaya kerusakan paspor Rp500\.000/);
    expect(buttons()[0]).toBe('more:lost_damaged:damaged:fee');
    const [more] = await t.say('Selengkapnya', { payload: 'more:lost_damaged:damaged:fee' });
    expect(more).toMatch(/^Paspor rusak/);
    const [fee2] = await t.say('dendanya berapa?');
    expect(fee2).toMatch(/^Biaya kerusakan paspor Rp500\.000/);
    const [lost] = await t.say('kalau hilang?');
    expect(lost).toMatch(/^Biaya kehilangan paspor Rp1\.000\.000/);
    t.clock.advance(31 * 60_000);
    const [fresh] = await t.say('biayanya berapa?');
    expect(fresh).toMatch(/^Biaya e-paspor sesuai PP 45\/2024/);
  });

  it('lets a new clear topic replace the old one', async () => {
    t = createTestCore();
    await t.say('paspor saya hilang');
    await t.say('kode otp tidak masuk ke email');
    const [fee] = await t.say('biayanya berapa?');
    expect(fee).toMatch(/^Biaya e-paspor/);
  });
});

describe('tickets announced', () => {
  it('tells the applicant when staff reopen a resolved ticket, and drops the pending survey question', async () => {
    t = createTestCore();
    await t.say('antrian lama sekali, saya kecewa');
    const [ticket] = tickets();
    t.core.tickets.setStatus(ticket!.id, 'resolved', { type: 'staff', staffId: null });
    await t.settle();
    expect(getConversation(t.db, 1)?.awaiting).toBe('csat_rating');
    t.core.tickets.setStatus(ticket!.id, 'open', { type: 'staff', staffId: null });
    await t.settle();
    expect(t.channel.sent.at(-1)?.text).toMatch(/Tiket #1 dibuka kembali oleh petugas/);
    expect(getConversation(t.db, 1)?.awaiting).toBeNull();
  });

  it('acknowledges a message to an officer-held ticket after hours with when the office opens', async () => {
    // Friday 27 November 2026, 17:00 WITA: closed until Monday 08:00.
    t = createTestCore({ start: '2026-11-27T09:00:00Z' });
    await t.say('petugas loket kasar sekali, saya kecewa');
    t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES ('ani', 'staff', 0)").run();
    t.core.tickets.claim(tickets()[0]!.id, 1);
    const ack = (await t.say('baik pak, saya tunggu')).at(-1);
    expect(ack).toMatch(/teruskan ke petugas yang menangani tiket #1/);
    expect(ack).toMatch(/buka kembali Senin, 30 November pukul 08\.00 WITA/);
  });

  it('flags a scam report on an open ticket and alerts the supervisors', async () => {
    t = createTestCore();
    await t.say('antrian lama sekali, saya kecewa');
    const [warning] = await t.say('tadi ada orang ngaku petugas imigrasi minta transfer 500rb biar cepat');
    expect(warning).toMatch(/penipuan/);
    expect(warning).toMatch(/kode billing/);
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]).toMatchObject({ integrity: true, priority: 'high' });
    const alerts = t.db.prepare("SELECT COUNT(*) AS n FROM staff_alerts WHERE kind = 'integrity_report'").get() as { n: number };
    expect(alerts.n).toBe(1);
  });
});
