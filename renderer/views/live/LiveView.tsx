import { Suspense, lazy, useEffect, useMemo } from 'react';
import type { LiveVersion } from '../../../shared/live';
import { ErrorNote } from '../../app/ErrorNote';
import { client } from '../../api/client';
import { useLive } from '../../store/live-store';
import { useRequestDrawer } from '../../store/request-store';
import { useWorkspace } from '../../store/workspace-store';
import { RequestDrawer } from '../request/RequestDrawer';
import { errorData, errorSpec, judgeData, judgeSpec, psiData, psiSpec } from './live-specs';
import { LiveTable } from './LiveTable';
import './live.css';

// vega loads with the first chart, so the view paints before the chart library arrives.
const VegaChart = lazy(() => import('../../charts/VegaChart').then((m) => ({ default: m.VegaChart })));

const DIMS = ['route', 'locale', 'tenant_tier', 'model_version', 'deployment'] as const;

/** The live tail: connection, rate, lag, the newest requests and the numbers moving with them. */
export function LiveView() {
  const { snapshot, paused, held, filter, error, gapSync, start, stop, setPaused, setFilter, syncGaps } = useLive();
  const syncing = useWorkspace((s) => s.syncing);
  const drawerOpen = useRequestDrawer((s) => s.requestId !== null);
  useEffect(() => {
    void client.call('tailStatus', {}).then((s) => useLive.getState().receive(s)).catch(() => {});
  }, []);
  const analytics = snapshot?.analytics ?? null;
  // The store keeps the analytics object while the core has not re-evaluated (every few seconds),
  // so the charts' data changes that often, and each chart updates in place.
  const data = useMemo(() => (analytics ? { judge: judgeData(analytics), errors: errorData(analytics), psi: psiData(analytics) } : null), [analytics]);
  const running = snapshot && ['connecting', 'live', 'reconnecting'].includes(snapshot.state);
  const flagged = analytics?.versions.filter((v) => v.status === 'flagged') ?? [];

  return (
    <section className="view live-view" aria-label="Live">
      <header className="row">
        <h1 className="grow">Live</h1>
        {running ? <button onClick={() => void stop()}>Stop</button> : <button onClick={() => void start()}>Start live tail</button>}
        <button onClick={() => setPaused(!paused)} aria-pressed={paused}>{paused ? `Resume (${held.length} waiting)` : 'Pause'}</button>
      </header>
      {error && <ErrorNote error={error} />}
      {snapshot?.error && <ErrorNote error={snapshot.error} />}
      <dl className="live-stats" aria-label="Tail status">
        <div><dt>connection</dt><dd data-testid="live-state">{snapshot?.state ?? 'idle'}</dd></div>
        <div><dt>events/s</dt><dd data-testid="live-rate">{snapshot ? Math.round(snapshot.eventsPerSecond).toLocaleString() : '—'}</dd></div>
        <div><dt>lag</dt><dd>{snapshot?.lagMs == null ? '—' : formatLag(snapshot.lagMs)}</dd></div>
        <div><dt>added</dt><dd data-testid="live-ingested">{snapshot?.ingested.toLocaleString() ?? 0}</dd></div>
        <div><dt>duplicates</dt><dd>{snapshot?.duplicates.toLocaleString() ?? 0}</dd></div>
        <div><dt>quarantined</dt><dd>{snapshot?.quarantined.toLocaleString() ?? 0}</dd></div>
        <div><dt>reconnects</dt><dd>{snapshot?.reconnects ?? 0}</dd></div>
        <div>
          <dt>core memory</dt>
          <dd data-testid="live-memory" title="Resident memory of Loupe's core, where the tail and DuckDB run, and its change since the tail started">
            {snapshot?.memory ? formatMemory(snapshot.memory) : '—'}
          </dd>
        </div>
      </dl>
      {snapshot?.retry && (
        <p className="live-gap" role="status" data-testid="live-retry">
          Reconnecting: {snapshot.retry.reason} (attempt {snapshot.retry.attempt}, next try at {new Date(snapshot.retry.nextAt).toLocaleTimeString()}). Rows received so far are saved; the stream resumes after the last one.
        </p>
      )}
      {gapSync.error && <ErrorNote error={gapSync.error} />}
      {snapshot?.gaps.length ? (
        <p className="live-gap" role="alert">
          The stream skipped events it no longer held ({snapshot.gaps.length} gap{snapshot.gaps.length > 1 ? 's' : ''}, hours {snapshot.gaps.at(-1)!.hours.map((h) => h.slice(0, 13)).join(', ')}).{' '}
          <button onClick={() => void syncGaps()} disabled={syncing}>{gapSync.running ? 'Syncing…' : 'Sync the missing hours from exports'}</button>
          {gapSync.downloaded !== null && (
            <span className="muted" data-testid="live-gap-sync">
              {' '}{gapSync.downloaded} partition{gapSync.downloaded === 1 ? '' : 's'} downloaded, {gapSync.skipped} already here
              {gapSync.failed ? `, ${gapSync.failed} failed (sync again to retry them)` : ''}.
            </span>
          )}
        </p>
      ) : null}
      {analytics && !analytics.baseline && snapshot?.state !== 'idle' && (
        <p className="muted">No exported baseline in this workspace: sync exports to compare the live hour with the previous 7 days.</p>
      )}
      {flagged.length > 0 && (
        <p className="live-flagged" data-testid="live-judge-flagged">
          Judge alert: {flagged.map(describeFlag).join('; ')}
        </p>
      )}
      {analytics && analytics.versions.some((v) => v.evidence !== null) && (
        <p className="muted small" data-testid="live-judge-evidence" title={analytics.rule}>
          Evidence of a judge drop (100 % alerts):{' '}
          {analytics.versions.filter((v) => v.evidence !== null).map((v) => `${v.version} (${v.deployment}) ${Math.round(Math.min(1, v.evidence!) * 100)} %`).join(' · ')}
        </p>
      )}
      {data && (
        <Suspense fallback={null}>
        <div className="live-charts">
          <VegaChart spec={judgeSpec} data={data.judge} label="Judge mean per version, last hour" />
          <VegaChart spec={errorSpec} data={data.errors} label="Error rate per version, last hour" />
          <VegaChart spec={psiSpec} data={data.psi} label="PSI per axis, last hour against the baseline" />
        </div>
        </Suspense>
      )}
      <div className="row">
        <label>
          Filter{' '}
          <select value={filter?.dim ?? ''} onChange={(e) => setFilter(e.target.value ? { dim: e.target.value as (typeof DIMS)[number], value: filter?.value ?? '' } : null)} aria-label="Filter dimension">
            <option value="">all requests</option>
            {DIMS.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        {filter && <input aria-label="Filter value" value={filter.value} placeholder="value, e.g. sql" onChange={(e) => setFilter({ ...filter, value: e.target.value })} />}
      </div>
      <LiveTable />
      {drawerOpen && <RequestDrawer />}
    </section>
  );
}

function formatLag(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function formatMemory(m: { rssBytes: number; startRssBytes: number }): string {
  const mb = (b: number) => Math.round(b / 2 ** 20);
  const change = mb(m.rssBytes) - mb(m.startRssBytes);
  return `${mb(m.rssBytes).toLocaleString()} MB (${change >= 0 ? '+' : '−'}${Math.abs(change).toLocaleString()} since start)`;
}

function describeFlag(v: LiveVersion): string {
  const hour = v.judgeMean === null ? '' : `, last hour ${v.judgeMean.toFixed(3)}${v.threshold !== null ? ` (2σ line ${v.threshold.toFixed(3)})` : ''}`;
  return `${v.version} (${v.deployment}) below its baseline ${v.baselineMean?.toFixed(3)} since ${v.flaggedAt?.slice(11, 19)}${hour}`;
}
