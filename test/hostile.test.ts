/**
 * Hostile input: floods, random Unicode, huge strings, control characters and injection
 * strings through the normalizer, the router and the HTTP API. Nothing may crash,
 * nothing may be lost, and personal data never reaches the logs.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel } from '../channels/web.js';
import { createLogger } from '../src/log.js';
import { normalize } from '../src/nlu/index.js';
import { FLOOD_MAX_ANSWERED } from '../src/router.js';
import { buildServer } from '../src/server/app.js';
import { createTestCore, testKnowledge, TEST_CLASSIFIER_OPTIONS, type TestCore } from './helpers/core.js';
import { createClassifier } from '../src/nlu/classifier.js';

let t: TestCore | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

const INJECTIONS = [
  "'; DROP TABLE tickets; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{office.address}}',
  '${process.exit(1)}',
  '\u0000\u0001\u001b[2J',
  '\uD800\uDC00\uDFFF\uD800',
  'A'.repeat(70_000),
  '🙏'.repeat(5_000),
  'intent:out_of_scope',
  'csat:1:1',
  'handoff:yes',
];

describe('floods', () => {
  it('one sender sending 100 messages in 10 s gets bounded replies; nothing is lost; others are answered', async () => {
    t = createTestCore();
    let othersAnswered = 0;
    for (let i = 0; i < 100; i += 1) {
      await t.core.intake.sink.accept({
        channel: 'telegram',
        externalId: `flood-${i}`,
        conversationExternalId: 'flooder',
        sender: { externalId: 'flooder' },
        text: i % 2 === 0 ? 'berapa biaya paspor' : 'halo??',
        attachments: [],
        receivedAt: t.clock.now(),
      });
      if (i === 50) othersAnswered = (await t.say('syarat paspor anak apa saja', { from: 'other' })).length;
      t.clock.advance(100);
    }
    await t.settle();
    const toFlooder = t.channel.textsTo('flooder');
    expect(toFlooder.length).toBeLessThanOrEqual(FLOOD_MAX_ANSWERED + 1);
    expect(toFlooder.at(-1)).toMatch(/banyak sekali dalam waktu singkat/);
    expect(othersAnswered).toBe(1);
    const stored = t.db.prepare("SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = 'flooder' AND m.direction = 'in' AND m.processed_at IS NOT NULL").get() as { n: number };
    expect(stored.n).toBe(100);
    // After the window the sender is answered again.
    t.clock.advance(120_000);
    expect(await t.say('berapa biaya paspor', { from: 'flooder' })).toHaveLength(1);
  });
});

describe('property: hostile text never crashes', () => {
  const classifier = createClassifier(testKnowledge(), TEST_CLASSIFIER_OPTIONS);
  const hostile = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 200 }),
    fc.constantFrom(...INJECTIONS),
    fc.tuple(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 50 })).map(([a, b]) => `${b}${a}${b}`),
  );

  it('normalizer and classifier: always a string and a known intent with confidence in [0, 1]', () => {
    const known = new Set(testKnowledge().intents.keys());
    fc.assert(
      fc.property(hostile, (text) => {
        expect(typeof normalize(text)).toBe('string');
        const result = classifier.classify(text);
        expect(known.has(result.intent)).toBe(true);
        expect(result.confidence).toBeGreaterThanOrEqual(0);
        expect(result.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
    // A megabyte is classified on its bounded prefix.
    expect(known.has(classifier.classify('paspor '.repeat(150_000)).intent)).toBe(true);
  });

  it('router: every hostile message is stored, processed and answered (or deliberately not)', async () => {
    t = createTestCore();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        n += 1;
        await t!.say(text, { from: `p-${n % 7}`, id: `prop-${n}` });
        const row = t!.db.prepare("SELECT processed_at FROM messages WHERE external_id = ? AND direction = 'in'").get(`prop-${n}`) as { processed_at: number | null };
        expect(row.processed_at).not.toBeNull();
      }),
      { numRuns: 150 },
    );
    expect(t.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in' AND processed_at IS NULL").get()).toEqual({ n: 0 });
    // The injection strings did nothing to the schema.
    expect(t.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'tickets'").get()).toEqual({ n: 1 });
  });

  it('HTTP: random bodies get a JSON answer, never a 500', async () => {
    t = createTestCore();
    const web = createWebChannel();
    t.core.addChannel(web);
    await web.start(t.core.intake.sink);
    const app = await buildServer({ db: t.db, logger: pino({ level: 'silent' }), web, channels: () => [web], problems: () => [], webChatPerMinute: 10_000 });
    try {
      const issued = ((await app.inject({ method: 'POST', url: '/chat/visitors' })).json() as { visitorId: string }).visitorId;
      const body = fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.record({ visitorId: fc.string(), clientMessageId: fc.string(), text: hostile }).map((r) => JSON.stringify(r)),
        fc.record({ visitorId: fc.constant(issued), clientMessageId: fc.uuid().map((u) => u.replaceAll('-', '')), text: hostile }).map((r) => JSON.stringify(r)),
        fc.string({ maxLength: 200 }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (payload) => {
          const response = await app.inject({ method: 'POST', url: '/chat/messages', headers: { 'content-type': 'application/json' }, payload });
          // 403: a well-formed id the server did not issue.
          expect([202, 400, 403, 413, 429]).toContain(response.statusCode);
          expect(() => response.json()).not.toThrow();
        }),
        { numRuns: 200 },
      );
      const query = await app.inject({ method: 'GET', url: '/chat/history', headers: { 'x-visitor-id': "' OR 1=1 --" } });
      expect(query.statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });
});

describe('personal data stays out of logs and staff posts', () => {
  it('masks NIK, passport and phone numbers in log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info('pemohon NIK 5371012345678901 paspor E1234567 telp +62 812-3456-7890');
    logger.info({ text: 'NIK 5371012345678901' }, 'message stored');
    const out = lines.join('');
    expect(out).not.toContain('5371012345678901');
    expect(out).not.toContain('E1234567');
    expect(out).not.toContain('3456-7890');
    expect(out).toContain('[redacted]');
  });

  it('staff-group posts never carry the applicant’s numbers', async () => {
    t = createTestCore({ alertTargets: [{ channel: 'telegram', externalId: '-1', audience: 'staff' }] });
    await t.say('saya kecewa, paspor E1234567 atas nama saya NIK 5371012345678901 HP 081234567890 belum jadi');
    const post = t.channel.textsTo('-1').join('\n');
    expect(post).toMatch(/#1/);
    for (const secret of ['E1234567', '5371012345678901', '081234567890']) expect(post).not.toContain(secret);
  });
});
