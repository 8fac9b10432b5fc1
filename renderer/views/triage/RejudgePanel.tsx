import { useJudge } from '../../store/judge-store';

/**
 * Re-judge: the rubric run again by the configured LLM on this case or a sample of its slice,
 * against the online judge's scores: mean absolute difference and pass/fail agreement at 0.5.
 */
export function RejudgePanel({ caseId, slice, version }: { caseId: string; slice: string | null; version: string | null }) {
  const { settings, rejudge, rejudging, runRejudge } = useJudge();
  if (!settings?.configured) return null;
  return (
    <section className="rejudge" aria-label="Re-judge">
      <h3>Re-judge</h3>
      <div className="row wrap">
        <button disabled={rejudging} onClick={() => void runRejudge({ caseId })}>This case</button>
        <button disabled={rejudging} onClick={() => void runRejudge({ slice: slice ?? undefined, modelVersion: slice ? undefined : version ?? undefined, n: 20 })}>
          20 from {slice ?? (version ? `version ${version}` : 'the workspace')}
        </button>
        {rejudging && <span className="muted">judging…</span>}
      </div>
      {rejudge && (
        <div data-testid="rejudge-result">
          <p>
            {rejudge.judged} of {rejudge.n} judged by {rejudge.model}:{' '}
            {rejudge.agreement != null ? `${Math.round(rejudge.agreement * 100)}% agree on pass/fail (≥ ${rejudge.threshold})` : 'no agreement figure'}
            {rejudge.meanAbsDiff != null && `, mean |Δ| ${rejudge.meanAbsDiff.toFixed(3)}`} · {rejudge.tokens.prompt + rejudge.tokens.completion} tokens
          </p>
          <table className="rejudge-items">
            <thead>
              <tr><th>request</th><th>online</th><th>re-judge</th><th>why</th></tr>
            </thead>
            <tbody>
              {rejudge.items.map((i) => (
                <tr key={i.request_id}>
                  <td><code>{i.request_id}</code></td>
                  <td>{i.online.toFixed(2)}</td>
                  <td>{i.rejudge == null ? '—' : i.rejudge.toFixed(2)}</td>
                  <td>{i.error ?? i.rationale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
