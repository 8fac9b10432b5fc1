import { lazy, Suspense, useMemo } from 'react';
import type { CallOutput } from '../../../shared/api';
import type { Deployment } from '../../../shared/service-contract';
import { judgeIntervalSpec } from './judge-interval-spec';

const VegaChart = lazy(() => import('../../charts/VegaChart').then((m) => ({ default: m.VegaChart })));
type Evidence = CallOutput<'deploymentEvidence'>;

const pct = (x: number | null) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, d = 3) => (x == null ? '—' : x.toFixed(d));

/** The figures behind a decision: per version, the alerts, and where the newer version differs. */
export function EvidencePanel({ d, e }: { d: Deployment; e: Evidence }) {
  const rows = useMemo(
    () =>
      e.versions
        .filter((v) => v.judgeMean != null && v.judgeLow != null && v.judgeHigh != null)
        .map((v) => ({ version: v.version, mean: v.judgeMean!, low: v.judgeLow!, high: v.judgeHigh! })),
    [e],
  );
  const spec = useMemo(() => judgeIntervalSpec(rows, d.slo.judge_mean_min), [rows, d.slo.judge_mean_min]);
  return (
    <section aria-label="Evidence" className="evidence">
      <h3>
        Evidence <span className="muted small">{e.window ? `${e.window.since.slice(0, 16)} → ${e.window.until.slice(0, 16)} UTC · ${e.rows} requests in the workspace` : `${e.rows} requests`}</span>
      </h3>
      <table className="versions-table" aria-label="Evidence by version">
        <thead>
          <tr>
            <th>version</th>
            <th>traffic</th>
            <th>requests</th>
            <th>judge mean (95% interval)</th>
            <th>error rate</th>
            <th>refusal</th>
            <th>format ok</th>
            <th>latency p50 / p95</th>
          </tr>
        </thead>
        <tbody>
          {e.versions.map((v) => (
            <tr key={v.version} data-testid={`evidence-${v.version}`}>
              <td>{v.version}</td>
              <td>{pct(v.traffic)}</td>
              <td>{v.requests}</td>
              <td className={v.judgeMean != null && v.judgeMean < d.slo.judge_mean_min ? 'error-text' : undefined}>
                {num(v.judgeMean)} {v.judgeLow != null && <span className="muted">({num(v.judgeLow)}–{num(v.judgeHigh)})</span>} <span className="muted small">n={v.judged}</span>
              </td>
              <td className={v.errorRate != null && v.errorRate > d.slo.error_rate_max ? 'error-text' : undefined}>{pct(v.errorRate)}</td>
              <td>{pct(v.refusalRate)}</td>
              <td data-testid={`format-ok-${v.version}`}>{pct(v.formatOkRate)}</td>
              <td>
                {num(v.latencyP50, 0)} / {num(v.latencyP95, 0)} ms
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > 0 && (
        <Suspense fallback={<div className="chart-placeholder" />}>
          <VegaChart spec={spec} label={`judge mean by version with 95% intervals; SLO ${d.slo.judge_mean_min}`} />
        </Suspense>
      )}
      <h4>Alerts</h4>
      {e.alerts.length === 0 ? (
        <p className="muted">No version breaks a rule in this window.</p>
      ) : (
        <ul className="alert-list" aria-label="Alerts">
          {e.alerts.map((a) => (
            <li key={`${a.version}-${a.rule}`} className="error-text" data-testid="deployment-alert">
              {a.at.slice(0, 16).replace('T', ' ')} · {a.message}
            </li>
          ))}
        </ul>
      )}
      <h4>
        Top drifting slices for {e.newer ?? 'the newer version'} <span className="muted small">vs {e.older ?? '—'}, same period</span>
      </h4>
      {e.topSlices.length === 0 ? (
        <p className="muted">No slice differs significantly with enough support.</p>
      ) : (
        <table className="versions-table" aria-label="Top drifting slices">
          <thead>
            <tr>
              <th>slice</th>
              <th>axis · feature</th>
              <th>PSI</th>
              <th>rows {e.older} / {e.newer}</th>
              <th>judge {e.older} / {e.newer}</th>
            </tr>
          </thead>
          <tbody>
            {e.topSlices.map((s) => (
              <tr key={`${s.sliceId}-${s.axis}`}>
                <td>{s.label}</td>
                <td>
                  {s.axis} · {s.feature}
                </td>
                <td>{num(s.psi, 2)}</td>
                <td>
                  {s.support.older} / {s.support.newer}
                </td>
                <td>
                  {num(s.judge.older, 2)} / {num(s.judge.newer, 2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {e.notes.map((n) => (
        <p key={n} className="note">
          {n}
        </p>
      ))}
    </section>
  );
}
