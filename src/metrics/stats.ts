/** Order statistics shared by every metric, so the dashboard and the digest round alike. */

/**
 * The p-quantile (0..1) by linear interpolation between closest ranks (the common
 * "inclusive" definition: numpy's default, Excel's PERCENTILE.INC), so the median of
 * an even count is the mean of the middle two. Null for no values.
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return Math.round(low + (high - low) * (position - lower));
}

/** Share met / (met + breached), null when nothing was decided yet. */
export function rate(met: number, breached: number): number | null {
  const decided = met + breached;
  return decided === 0 ? null : met / decided;
}
