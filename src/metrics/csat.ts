/** Satisfaction ratings (1-5) given in a range: count, average and low ratings (1-2). */
import { prepared, type Db } from '../store/db.js';

export interface CsatStats {
  readonly count: number;
  /** Mean rating; null when nobody rated. */
  readonly average: number | null;
  /** Ratings of 1 or 2 (the ones that alerted supervisors). */
  readonly low: number;
}

export function csatBetween(db: Db, startMs: number, endMs: number): CsatStats {
  const row = prepared<[number, number], { n: number; total: number | null; low: number | null }>(
    db,
    'SELECT COUNT(*) AS n, SUM(rating) AS total, SUM(rating <= 2) AS low FROM csat_ratings WHERE created_at >= ? AND created_at < ?',
  ).get(startMs, endMs);
  const count = row?.n ?? 0;
  return { count, average: count === 0 ? null : (row?.total ?? 0) / count, low: row?.low ?? 0 };
}
