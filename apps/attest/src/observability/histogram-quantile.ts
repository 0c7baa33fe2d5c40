/**
 * A quantile estimated from bucket counts the way Prometheus's histogram_quantile does:
 * linear inside the bucket the rank falls in; in the +Inf bucket, the highest finite bound.
 * `bounds` are the upper bounds (ascending), `counts` per bucket (not cumulative), one more
 * than `bounds` (the +Inf bucket). Undefined without observations.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
): number | undefined {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (below + n >= rank && n > 0) {
      const upper = bounds[i];
      if (upper === undefined) return bounds.at(-1);
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      return lower + (upper - lower) * ((rank - below) / n);
    }
    below += n;
  }
  return bounds.at(-1);
}
