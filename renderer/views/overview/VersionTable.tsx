import type { OverviewView, VersionStatsView } from '../../../shared/drift-schemas';
import { fmtInt, fmtJudge, fmtPct } from '../slices/format';

const ms = (v: number | null) => (v == null ? '–' : `${Math.round(v)} ms`);

/** Per version: volume, judge mean with its 95% interval, rates and latency, now vs baseline. */
export function VersionTable({ overview }: { overview: OverviewView }) {
  const baseline = new Map(overview.baseline.map((v) => [v.version, v]));
  const monitor = new Map(overview.judge?.versions.map((v) => [v.version, v]) ?? []);
  const delta = (now: number | null, before: number | null | undefined) =>
    now == null || before == null ? null : now - before;
  return (
    <table className="columns-table version-table" aria-label="Versions">
      <thead>
        <tr>
          <th>Version</th>
          <th className="num">Requests</th>
          <th className="num">Judged</th>
          <th className="num">Judge mean (95% CI)</th>
          <th className="num">vs baseline</th>
          <th className="num">Errors</th>
          <th className="num">Refusals</th>
          <th className="num">Format ok</th>
          <th className="num">p50 / p95</th>
          <th>Judge monitor</th>
        </tr>
      </thead>
      <tbody>
        {overview.current.map((v: VersionStatsView) => {
          const b = baseline.get(v.version);
          const d = delta(v.judgeMean, b?.judgeMean);
          const m = monitor.get(v.version);
          return (
            <tr key={v.version ?? '(none)'}>
              <td className="name">{v.version ?? '(none)'}</td>
              <td className="num">{fmtInt(v.requests)}</td>
              <td className="num">{fmtInt(v.judged)}</td>
              <td className="num">
                {fmtJudge(v.judgeMean)} <span className="muted">[{fmtJudge(v.judgeLow)}, {fmtJudge(v.judgeHigh)}]</span>
              </td>
              <td className={`num${d != null && d < -0.05 ? ' error-text' : ''}`} title={b ? undefined : 'no requests of this version in the baseline window'}>
                {d != null ? `${d >= 0 ? '+' : ''}${d.toFixed(3)}` : b ? '–' : <span className="muted">new</span>}
              </td>
              <td className="num">{fmtPct(v.errorRate)}</td>
              <td className="num">{fmtPct(v.refusalRate)}</td>
              <td className="num">{fmtPct(v.formatOkRate)}</td>
              <td className="num">
                {ms(v.latencyP50)} / {ms(v.latencyP95)}
              </td>
              <td>
                {!m ? (
                  <span className="muted">–</span>
                ) : m.status === 'flagged' ? (
                  <span className="error-text">{m.flaggedHours.length} hour{m.flaggedHours.length === 1 ? '' : 's'} below 2σ</span>
                ) : m.status === 'insufficient_data' ? (
                  <span className="muted" title={m.reason}>too few judged</span>
                ) : (
                  <span className="muted">ok</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
