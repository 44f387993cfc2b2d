import { describe, expect, it } from 'vitest';
import { formatOfficeTime } from '../src/time-format.js';

const WITA = 'Asia/Makassar';
// Saturday 28 November 2026, 09.00 WITA.
const now = new Date('2026-11-28T01:00:00Z');

describe('formatOfficeTime', () => {
  it('says today, tomorrow or the weekday and date, in Indonesian and English', () => {
    const cases: [string, string, string][] = [
      ['2026-11-28T02:30:00Z', 'pukul 10.30 WITA hari ini', 'today at 10:30 WITA'],
      ['2026-11-29T00:00:00Z', 'besok pukul 08.00 WITA', 'tomorrow at 08:00 WITA'],
      ['2026-11-30T00:00:00Z', 'Senin, 30 November pukul 08.00 WITA', 'Monday 30 November at 08:00 WITA'],
      ['2026-12-01T07:45:00Z', 'Selasa, 1 Desember pukul 15.45 WITA', 'Tuesday 1 December at 15:45 WITA'],
    ];
    // Twice: the second pass answers from the per-bucket caches and must say the same.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const [at, id, en] of cases) {
        expect(formatOfficeTime(new Date(at), now, WITA, 'id')).toBe(id);
        expect(formatOfficeTime(new Date(at), now, WITA, 'en')).toBe(en);
      }
    }
  });

  it('changes the date at local midnight even when the zone offset is not whole minutes', () => {
    // Monrovia kept UTC-0:44:30 until 1972: its midnight falls inside a quarter hour of UTC,
    // so two instants of one cache bucket lie on different local days.
    const before = new Date('1960-06-01T00:44:00Z');
    const after = new Date('1960-06-01T00:44:40Z');
    const earlier = new Date('1960-05-28T12:00:00Z');
    for (let pass = 0; pass < 2; pass += 1) {
      expect(formatOfficeTime(before, earlier, 'Africa/Monrovia', 'en')).toBe('Tuesday 31 May at 23:59 Africa/Monrovia');
      expect(formatOfficeTime(after, earlier, 'Africa/Monrovia', 'en')).toBe('Wednesday 1 June at 00:00 Africa/Monrovia');
      expect(formatOfficeTime(after, earlier, 'Africa/Monrovia', 'id')).toBe('Rabu, 1 Juni pukul 00.00 Africa/Monrovia');
    }
  });

  it('keeps the two languages apart in its caches', () => {
    const monday = new Date('2026-11-30T01:10:00Z');
    expect(formatOfficeTime(monday, now, WITA, 'en')).toBe('Monday 30 November at 09:10 WITA');
    expect(formatOfficeTime(monday, now, WITA, 'id')).toBe('Senin, 30 November pukul 09.10 WITA');
  });
});
