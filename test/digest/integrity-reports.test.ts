/**
 * The integrity reports of a period (digest and reports page): tickets opened as integrity
 * reports in it, and tickets flagged in it (an open complaint that later turns out to be about
 * a broker); not those of other days, and not plain complaints.
 */
import { describe, expect, it } from 'vitest';
import { integrityReportsBetween } from '../../src/metrics/integrity.js';
import { createTestCore } from '../helpers/core.js';

const day = (iso: string): number => new Date(iso).getTime();

describe('integrity reports of a period', () => {
  it('takes the ones opened in it and the ones flagged in it, reported at the flagging', async () => {
    const t = createTestCore({ start: '2026-11-29T01:00:00Z' });
    try {
      // Sunday: an integrity report (another day) and a plain complaint that is flagged on Monday.
      await t.say('ada calo di depan kantor minta uang 2 juta supaya paspor cepat jadi', { from: 'minggu' });
      await t.say('pelayanan loket lambat sekali, saya kecewa', { from: 'senin' });
      t.clock.set(new Date('2026-11-30T02:00:00Z'));
      await t.say('tadi petugas minta uang 200 ribu supaya cepat', { from: 'senin' });
      // Monday: a new integrity report, and a plain complaint.
      t.clock.set(new Date('2026-11-30T03:00:00Z'));
      await t.say('ada oknum menawarkan kuota asal transfer 500 ribu', { from: 'pelapor' });
      await t.say('antrian lama sekali, kecewa', { from: 'lain' });
      const ids = t.db.prepare<[], { id: number; integrity: number; created_at: number }>('SELECT id, integrity, created_at FROM tickets ORDER BY id').all();
      expect(ids.map((r) => r.integrity)).toEqual([1, 1, 1, 0]);
      const monday = integrityReportsBetween(t.db, day('2026-11-29T16:00:00Z'), day('2026-11-30T16:00:00Z'));
      expect(monday.map((r) => [r.ticketId, new Date(r.reportedMs).toISOString()])).toEqual([
        [ids[1]!.id, '2026-11-30T02:00:00.000Z'],
        [ids[2]!.id, '2026-11-30T03:00:00.000Z'],
      ]);
      const sunday = integrityReportsBetween(t.db, day('2026-11-28T16:00:00Z'), day('2026-11-29T16:00:00Z'));
      expect(sunday.map((r) => r.ticketId)).toEqual([ids[0]!.id]);
    } finally {
      t.close();
    }
  });
});
