/**
 * Exact mean and sample sd of all the scores of several groups (hours, versions) from each
 * group's count, mean and sample sd: within-group sums of squares plus the between-group term.
 */
export function pooledJudge(groups: Array<{ judged: number; judgeMean: number | null; judgeSd: number | null }>): { mean: number | null; sd: number | null; n: number } {
  const hs = groups.filter((h) => h.judged > 0 && h.judgeMean !== null);
  const n = hs.reduce((s, h) => s + h.judged, 0);
  if (n === 0) return { mean: null, sd: null, n: 0 };
  const mean = hs.reduce((s, h) => s + h.judged * h.judgeMean!, 0) / n;
  if (n < 2) return { mean, sd: null, n };
  const ss = hs.reduce((s, h) => s + (h.judged - 1) * (h.judgeSd ?? 0) ** 2 + h.judged * (h.judgeMean! - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (n - 1)), n };
}
