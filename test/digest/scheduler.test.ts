/**
 * Delivery of the digest: once per date and supervisor target even across a restart
 * (same temp-file database, a new scheduler), catch-up after downtime, the schedule's
 * due times, and the error boundary. The fake clock drives everything; no sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDigestScheduler, DigestScheduleError, type DigestScheduler, type DigestSchedulerDeps } from '../../src/digest/index.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { testPolicy } from '../helpers/core.js';
import { buildFixture, SUPERVISORS, TZ, wita, type Fixture } from './fixture.js';

const silent = pino({ level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-digest-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'sapa.db');
}

function scheduler(f: Fixture, db: Db = f.db, extra: Partial<DigestSchedulerDeps> = {}): DigestScheduler {
  const s = createDigestScheduler({
    db,
    clock: f.t.clock,
    calendar: testPolicy().calendar,
    timeZone: TZ,
    alerts: { targets: () => SUPERVISORS },
    logger: silent,
    bus: f.t.core.bus,
    ...extra,
  });
  cleanups.push(() => s.stop());
  return s;
}

interface DeliveryRow {
  date: string;
  channel: string;
  external_id: string;
  message_id: number;
}

const deliveries = (db: Db): DeliveryRow[] =>
  db.prepare<[], DeliveryRow>('SELECT date, channel, external_id, message_id FROM digest_deliveries ORDER BY date, channel, external_id').all();

const digestMessages = (db: Db): { id: number; channel: string; external_id: string; text: string }[] =>
  db
    .prepare<[], { id: number; channel: string; external_id: string; text: string }>(
      `SELECT m.id, c.channel, c.external_id, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id
       JOIN staff_alerts a ON a.id = m.alert_id WHERE a.kind = 'digest' ORDER BY m.id`,
    )
    .all();

describe('digest delivery', () => {
  it('queues text + PNG once per date and supervisor target, even after a restart', async () => {
    const path = tempDbPath();
    const f = await buildFixture({ db: openDatabase(path) });
    f.t.clock.set(wita(28, '07:00'));
    const first = scheduler(f);
    expect(first.dueDates(f.t.clock.now())).toEqual(['2026-11-27']);
    const [report] = await first.runDue();
    // The two supervisor targets; the staff group gets no digest.
    expect(report?.queued.map((q) => `${q.target.channel}:${q.target.externalId}`)).toEqual(['telegram:-1005550001', 'whatsapp:6281298765432@s.whatsapp.net']);
    const sent = digestMessages(f.db);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.text).toMatch(/^📊 Ringkasan SAPA · Jumat, 27 Nov 2026/);
    const files = f.db
      .prepare<[], { message_id: number; kind: string; mime_type: string; file_name: string; size_bytes: number }>(
        'SELECT message_id, kind, mime_type, file_name, size_bytes FROM attachments WHERE message_id IN (SELECT message_id FROM digest_deliveries) ORDER BY message_id',
      )
      .all();
    expect(files.map((a) => [a.message_id, a.kind, a.mime_type, a.file_name])).toEqual(
      sent.map((m) => [m.id, 'image', 'image/png', 'sapa-ringkasan-2026-11-27.png']),
    );
    // Same process again: nothing new.
    expect((await first.runDue())[0]?.queued).toEqual([]);
    await first.stop();
    f.t.close();

    // Restart: a new process on the same file, later the same morning.
    const db = openDatabase(path);
    cleanups.push(() => {
      db.close();
    });
    const again = scheduler(f, db);
    f.t.clock.set(wita(28, '07:30'));
    const reports = await again.runDue();
    expect(reports.map((r) => [r.date, r.queued.length, r.alreadySent.length])).toEqual([['2026-11-27', 0, 2]]);
    expect(deliveries(db)).toEqual(sent.map((m) => ({ date: '2026-11-27', channel: m.channel, external_id: m.external_id, message_id: m.id })));
    expect(digestMessages(db)).toHaveLength(2);
    expect(db.prepare("SELECT COUNT(*) AS n FROM staff_alerts WHERE kind = 'digest'").get()).toEqual({ n: 1 });
  });

  it('the outbox delivers the text with the PNG to every supervisor chat', async () => {
    const f = await buildFixture();
    cleanups.push(() => f.t.close());
    f.t.clock.set(wita(28, '07:00'));
    await scheduler(f).runDue();
    await f.t.settle();
    // Supervisors also got the low-rating and SLA alerts; the digest is the message with the chart.
    const isDigest = (m: { text: string }): boolean => m.text.startsWith('📊 Ringkasan SAPA');
    const toTelegram = f.t.channel.sent.filter((m) => m.conversationExternalId === '-1005550001' && isDigest(m));
    const toWhatsapp = f.whatsapp.sent.filter((m) => m.conversationExternalId === '6281298765432@s.whatsapp.net' && isDigest(m));
    expect([toTelegram.length, toWhatsapp.length]).toEqual([1, 1]);
    for (const [message] of [toTelegram, toWhatsapp]) {
      expect(message?.text).toMatch(/^📊 Ringkasan SAPA/);
      expect(message?.attachments).toHaveLength(1);
      expect(message?.attachments?.[0]).toMatchObject({ kind: 'image', mimeType: 'image/png', fileName: 'sapa-ringkasan-2026-11-27.png' });
      expect([...(message?.attachments?.[0]?.data.subarray(0, 4) ?? [])]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
  });

  it('catches up the digests missed while the server was down', async () => {
    const f = await buildFixture();
    cleanups.push(() => f.t.close());
    f.t.clock.set(wita(28, '07:00'));
    await scheduler(f).runDue(); // Friday's, sent on Saturday morning
    // Down from Saturday until Tuesday 06:00: Monday's digest is not due before 07:00.
    f.t.clock.set(wita(1, '06:00', 12));
    const early = scheduler(f);
    expect(early.dueDates(f.t.clock.now())).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    // Started at 10:00 instead: start() runs the catch-up at once.
    f.t.clock.set(wita(1, '10:00', 12));
    const late = scheduler(f);
    late.start();
    await late.tick();
    await late.stop();
    const byDate = new Map<string, number>();
    for (const row of deliveries(f.db)) byDate.set(row.date, (byDate.get(row.date) ?? 0) + 1);
    expect([...byDate]).toEqual([
      ['2026-11-27', 2],
      ['2026-11-28', 2],
      ['2026-11-29', 2],
      ['2026-11-30', 2],
    ]);
    expect(digestMessages(f.db).map((m) => m.text.split('\n')[0])).toEqual([
      '📊 Ringkasan SAPA · Jumat, 27 Nov 2026',
      '📊 Ringkasan SAPA · Jumat, 27 Nov 2026',
      '📊 Ringkasan SAPA · Sabtu, 28 Nov 2026',
      '📊 Ringkasan SAPA · Sabtu, 28 Nov 2026',
      '📊 Ringkasan SAPA · Minggu, 29 Nov 2026',
      '📊 Ringkasan SAPA · Minggu, 29 Nov 2026',
      '📊 Ringkasan SAPA · Senin, 30 Nov 2026',
      '📊 Ringkasan SAPA · Senin, 30 Nov 2026',
    ]);
  });

  it('bounds catch-up, and sends only the latest due digest before the first one ever', async () => {
    const f = await buildFixture();
    cleanups.push(() => f.t.close());
    f.t.clock.set(wita(1, '10:00', 12));
    expect(scheduler(f).dueDates(f.t.clock.now())).toEqual(['2026-11-30']);
    f.t.db.prepare("INSERT INTO digest_deliveries (date, channel, external_id, created_at) VALUES ('2026-11-20', 'telegram', '-1005550001', 0)").run();
    expect(scheduler(f, f.db, { catchUpDays: 3 }).dueDates(f.t.clock.now())).toEqual(['2026-11-28', '2026-11-29', '2026-11-30']);
  });

  it('follows DIGEST_CRON: with a weekday schedule, Friday to Sunday wait for Monday 07:00', async () => {
    const f = await buildFixture();
    cleanups.push(() => f.t.close());
    f.t.db.prepare("INSERT INTO digest_deliveries (date, channel, external_id, created_at) VALUES ('2026-11-27', 'telegram', '-1005550001', 0)").run();
    const weekdays = scheduler(f, f.db, { cron: '0 7 * * 1-5' });
    f.t.clock.set(wita(29, '12:00'));
    expect(weekdays.dueDates(f.t.clock.now())).toEqual([]);
    f.t.clock.set(wita(30, '06:59'));
    expect(weekdays.dueDates(f.t.clock.now())).toEqual([]);
    f.t.clock.set(wita(30, '07:00'));
    expect(weekdays.dueDates(f.t.clock.now())).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
  });

  it('rejects an invalid DIGEST_CRON with an error naming the variable', async () => {
    const f = await buildFixture();
    cleanups.push(() => f.t.close());
    expect(() => scheduler(f, f.db, { cron: '0 7 * *' })).toThrow(DigestScheduleError);
    expect(() => scheduler(f, f.db, { cron: '0 25 * * *' })).toThrow(/^DIGEST_CRON "0 25 \* \* \*"/);
  });

  it('sends the text alone when the chart fails, and one failing run never throws', async () => {
    const f = await buildFixture();
    cleanups.push(() => f.t.close());
    f.t.clock.set(wita(28, '07:00'));
    const noChart = scheduler(f, f.db, { renderChart: () => Promise.reject(new Error('no fonts')) });
    await noChart.tick();
    expect(digestMessages(f.db)).toHaveLength(2);
    expect(f.db.prepare('SELECT COUNT(*) AS n FROM attachments WHERE message_id IN (SELECT message_id FROM digest_deliveries)').get()).toEqual({ n: 0 });

    f.t.clock.set(wita(29, '07:00'));
    const broken = scheduler(f, f.db, {
      alerts: {
        targets: () => {
          throw new Error('targets unavailable');
        },
      },
    });
    await expect(broken.tick()).resolves.toBeUndefined();
    await expect(broken.runDue()).rejects.toThrow(/targets unavailable/);
  });
});
