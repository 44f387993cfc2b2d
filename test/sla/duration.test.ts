import { describe, expect, it } from 'vitest';
import { InvalidDurationError, formatDuration, parseDuration, tryParseDuration } from '../../src/sla/duration.js';

describe('parseDuration', () => {
  it.each([
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['2h15m30s', 8_130_000],
    ['90m', 5_400_000],
    [' 1h 30m ', 5_400_000],
    ['2H', 7_200_000],
  ])('reads %j as business time', (text, ms) => {
    expect(parseDuration(text)).toEqual({ kind: 'business_ms', ms });
  });

  it('reads d as office days, not 24 hours', () => {
    expect(parseDuration('5d')).toEqual({ kind: 'office_days', days: 5 });
    expect(parseDuration('1d')).toEqual({ kind: 'office_days', days: 1 });
  });

  it.each([
    ['', 'must be a duration like'],
    ['2', 'a unit is required'],
    ['1.5h', 'no fractions'],
    ['2 hours', 'must be a duration like'],
    ['30m1h', 'must be a duration like'],
    ['1d2h', 'cannot mix d (office days) with h, m or s'],
    ['0m', 'must be more than zero'],
    ['0d', 'must be more than zero'],
    ['-1h', 'must be a duration like'],
    ['30ms', 'must be a duration like'],
  ])('rejects %j with a reason', (text, reason) => {
    const result = tryParseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('rejects non-strings such as a bare YAML number', () => {
    expect(tryParseDuration(2)).toEqual({ ok: false, reason: expect.stringContaining('must be a duration like') });
  });

  it('throws a typed error naming the input', () => {
    expect(() => parseDuration('2 jam')).toThrow(InvalidDurationError);
    expect(() => parseDuration('2 jam')).toThrow(/^duration "2 jam" must be a duration like/);
  });
});

describe('formatDuration (Indonesian)', () => {
  it.each([
    [5_400_000, '1 jam 30 menit'],
    [7_200_000, '2 jam'],
    [1_800_000, '30 menit'],
    [45_000, '45 detik'],
    [3_725_000, '1 jam 2 menit 5 detik'],
    [30 * 3_600_000, '30 jam'],
    [0, '0 menit'],
    [1_499, '1 detik'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats parsed durations, office days as hari kerja', () => {
    expect(formatDuration(parseDuration('1h30m'))).toBe('1 jam 30 menit');
    expect(formatDuration(parseDuration('5d'))).toBe('5 hari kerja');
  });

  it('rejects negative durations', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });
});
