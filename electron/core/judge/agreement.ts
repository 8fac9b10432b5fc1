/**
 * How well a re-judge agrees with the online judge, over the requests both scored:
 *   meanAbsDiff = Σ |rejudge_i − online_i| / n
 *   agreement   = #{ i : (rejudge_i ≥ t) = (online_i ≥ t) } / n      (t = 0.5: pass ≥ 0.5)
 * Requests the re-judge could not score are left out of both (and counted by the caller).
 */
export function agreement(pairs: Array<{ online: number; rejudge: number | null }>, threshold = 0.5): { judged: number; meanAbsDiff: number | null; agreement: number | null } {
  const scored = pairs.filter((p): p is { online: number; rejudge: number } => p.rejudge != null);
  if (scored.length === 0) return { judged: 0, meanAbsDiff: null, agreement: null };
  const diff = scored.reduce((s, p) => s + Math.abs(p.rejudge - p.online), 0);
  const same = scored.filter((p) => p.rejudge >= threshold === p.online >= threshold).length;
  return { judged: scored.length, meanAbsDiff: diff / scored.length, agreement: same / scored.length };
}
