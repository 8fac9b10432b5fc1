import { Suspense, lazy, useMemo, useState } from 'react';
import { binsSpec, judgeTimelineSpec } from '../../charts/drift-specs';
import { ErrorNote } from '../../app/ErrorNote';
import { sliceName, useDrift } from '../../store/drift-store';
import { useNav } from '../../store/nav-store';
import { useRequestDrawer } from '../../store/request-store';
import { fmtInt, fmtJudge, fmtP, fmtTime } from './format';

const VegaChart = lazy(() => import('../../charts/VegaChart').then((m) => ({ default: m.VegaChart })));

/** One slice: baseline vs current bins per axis, the judge mean over time, its requests. */
export function SliceDetailPanel() {
  const { detail, detailStatus, detailError, openId, sent, closeSlice, sendToTriage } = useDrift();
  const openRequest = useRequestDrawer((s) => s.open);
  const go = useNav((s) => s.go);
  const [n, setN] = useState('20');
  const timeline = useMemo(() => (detail ? judgeTimelineSpec(detail) : null), [detail]);
  const bins = useMemo(() => detail?.features.map((f) => ({ f, spec: binsSpec(f) })) ?? [], [detail]);
  if (openId === null) return null;
  const name = detail ? sliceName(detail.slice) : '…';
  return (
    <section className="slice-detail" aria-label={`Slice ${name}`}>
      <div className="row">
        <h2 className="grow">{name}</h2>
        <button onClick={closeSlice} aria-label="Close the slice">
          Close <kbd>Esc</kbd>
        </button>
      </div>
      {detailError && <ErrorNote error={detailError} />}
      {detailStatus === 'loading' && <p className="muted">Loading the slice…</p>}
      {detail && (
        <>
          <p className="muted">
            {fmtInt(detail.slice.support.baseline)} baseline and {fmtInt(detail.slice.support.current)} current requests ·
            judge {fmtJudge(detail.slice.judge.baselineMean)} → {fmtJudge(detail.slice.judge.currentMean)} ({fmtInt(detail.slice.judge.currentJudged)} judged now) ·{' '}
            {fmtTime(detail.windows.current.start)} – {fmtTime(detail.windows.current.end)} UTC vs {fmtTime(detail.windows.baseline.start)} –{' '}
            {fmtTime(detail.windows.baseline.end)} · {detail.ms} ms
          </p>
          <div className="row wrap">
            <label>
              Send{' '}
              <input aria-label="Requests to send to triage" className="num-input" value={n} onChange={(e) => setN(e.target.value)} />{' '}
              lowest-judged requests of the current window
            </label>
            <button onClick={() => void sendToTriage(Math.max(1, Math.min(1000, Number(n) || 20)))}>Send {Number(n) || 20} to triage</button>
            {sent && (
              <span className="info" role="status">
                {sent.added} added to triage{sent.merged ? `, ${sent.merged} already there` : ''} ·{' '}
                <button className="link" onClick={() => go('triage')}>open Triage</button>
              </span>
            )}
          </div>
          <div className="bins-grid">
            {bins.map(({ f, spec }) => (
              <figure key={f.id} className="bins-chart">
                <figcaption>
                  <strong>{f.axis}</strong> · {f.label} · PSI {f.psi == null ? '–' : f.psi.toFixed(3)} · JS {f.js == null ? '–' : f.js.toFixed(3)} · p {fmtP(f.pValue)}
                  {f.significant ? '' : ' (not significant)'}
                </figcaption>
                <Suspense fallback={<div className="chart-placeholder" />}>
                  <VegaChart spec={spec} label={`${f.label}: baseline vs current`} />
                </Suspense>
              </figure>
            ))}
          </div>
          {timeline && (
            <figure className="timeline-chart">
              <figcaption>Judge mean per hour · band: baseline mean ± 2σ/√n of the hour · orange: a version starts (+) or stops (−)</figcaption>
              <Suspense fallback={<div className="chart-placeholder" />}>
                <VegaChart spec={timeline} label="Judge mean per hour with the 2 sigma band" />
              </Suspense>
            </figure>
          )}
          <h2>Requests (current window, lowest judge first)</h2>
          <table className="columns-table requests-table" aria-label="Slice requests">
            <thead>
              <tr>
                <th>Time</th>
                <th>Version</th>
                <th className="num">Judge</th>
                <th>Prompt</th>
              </tr>
            </thead>
            <tbody>
              {detail.requests.map((r) => (
                <tr key={r.requestId}>
                  <td>
                    <button className="link" onClick={() => void openRequest(r.requestId)} aria-label={`Open request ${r.requestId}`}>
                      {r.timestamp ? fmtTime(r.timestamp) : r.requestId}
                    </button>
                  </td>
                  <td>{r.version ?? '–'}</td>
                  <td className="num">{fmtJudge(r.judgeScore)}</td>
                  <td className="preview">{r.preview}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
