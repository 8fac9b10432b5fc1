import type { DuckDBConnection } from '@duckdb/node-api';
import { frameTimeline } from './frame-timeline';
import { pooledJudge } from './pooled-judge';
import type { DriftQuery, DriftReportView, OverviewView, SliceDetail, Sparklines } from '../../../shared/drift-schemas';
import { LoupeError } from '../../../shared/errors';
import { sliceLabel } from '../../../shared/slice-label';
import type { RoleMapping } from '../../../shared/roles';
import { queryOne } from '../db/duckdb';
import { versionStats } from '../overview/version-stats';
import { readRequest, requestFields, type RequestField } from '../requests/request-fields';
import { addCases } from '../triage/cases';
import { REQUESTS } from '../workspace/ingest-partitions';
import { WS } from '../workspace/layout';
import type { WorkspaceSession } from '../workspace/workspace-session';
import { prepareDrift, scoreDrift, type PreparedDrift } from './engine';
import type { DriftSource } from './relation';
import { reportView, sliceRow } from './report-view';
import { sliceRequests } from './slice-detail';
import { sliceSparklines } from './slice-sparklines';
import type { DriftReport, SliceDrift } from './types';
import { sqlTimestamp } from './windows';

type Progress = (label: string, done: number, total: number | null) => void;

interface Cached {
  /** Data generation + roles + windows + binning: what the frame depends on. */
  frameKey: string;
  prepared: PreparedDrift;
  report: DriftReport;
  scoreKey: string;
}

/**
 * Drift for the app, on the open workspace's table. The frame (windows, clusters, bins) is
 * kept until the data, the roles or the windows change, so changing the minimum support or
 * opening a slice never re-reads the requests. Runs are serialised: one DuckDB connection.
 */
export class DriftService {
  private cached: Cached | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly workspace: WorkspaceSession,
  ) {}

  report(q: DriftQuery, progress?: Progress): Promise<DriftReportView> {
    return this.serial(async () => {
      const { report, reused } = await this.compute(q, progress);
      return reportView(report, reused);
    });
  }

  overview(q: DriftQuery, progress?: Progress): Promise<OverviewView> {
    return this.serial(async () => {
      // Without settings of its own the overview shows the windows the Slices view uses.
      const { report } = await this.compute(Object.keys(q).length ? q : 'last', progress);
      const { roles } = this.source();
      const w = report.windows;
      const stats = (start: string, end: string) => versionStats(this.conn, REQUESTS, roles, { since: sqlTimestamp(start), until: sqlTimestamp(end) });
      const view = reportView(report, true);
      return {
        windows: w,
        current: await stats(w.current.start, w.current.end),
        baseline: await stats(w.baseline.start, w.baseline.end),
        alerts: view.alerts,
        judge: view.judge,
        notes: view.notes,
      };
    });
  }

  detail(sliceId: string, nRequests: number): Promise<SliceDetail> {
    return this.serial(async () => {
      const t0 = performance.now();
      const { report } = await this.compute('last');
      const slice = this.findSlice(report, sliceId);
      const { source, roles } = this.source();
      const features = Object.values(slice.axes).flatMap((a) =>
        (a?.features ?? []).map((f) => {
          const info = report.features.find((x) => x.id === f.feature);
          const labels = info?.bins.labels ?? [];
          return {
            id: f.feature,
            axis: f.axis,
            label: info?.label ?? f.feature,
            status: f.status,
            psi: f.psi,
            kl: f.kl,
            js: f.js,
            pValue: f.pValue,
            significant: f.significant,
            level: f.level,
            bins: labels.map((label, i) => ({ label, baseline: f.baselineCounts?.[i] ?? 0, current: f.currentCounts?.[i] ?? 0 })),
          };
        }),
      );
      const prepared = this.cached!.prepared;
      const timeline = frameTimeline(prepared.frame, prepared.dimNames, prepared.dimDicts, slice.dims);
      const hours = timeline.hours.map((h) => ({
        hour: h.hour,
        window: h.window,
        n: h.n,
        judged: h.judged,
        judgeMean: h.judgeMean,
        refusalRate: h.refusalRate,
        formatOkRate: h.formatOkRate,
        mainVersion: mainVersion(h.versions),
      }));
      const versionChanges = versionMarkers(timeline.hours);
      const rows = await sliceRequests(this.conn, source, report.windows, slice.dims, { window: 'current', limit: nRequests, order: 'judge_asc' });
      return {
        slice: sliceRow(slice),
        windows: report.windows,
        features,
        hours,
        judgeBaseline: pooledJudge(timeline.hours.filter((h) => h.window === 'baseline')),
        versionChanges,
        requests: rows.map((r) => requestSummary(roles, r)),
        ms: Math.round(performance.now() - t0),
      };
    });
  }

  sparklines(): Promise<Sparklines> {
    return this.serial(async () => {
      const { report } = await this.compute('last');
      return sliceSparklines(this.conn, this.cached!.prepared.src, report.windows);
    });
  }

  async request(requestId: string): Promise<{ fields: RequestField[] }> {
    const { roles } = this.source();
    const record = await readRequest(this.conn, roles, requestId);
    if (!record) throw new LoupeError({ code: 'not_found', message: `no request ${requestId} in this workspace`, hint: 'it may be in an export not synced yet' });
    return { fields: requestFields(roles, record) };
  }

  /** The slice's n requests of the current window (lowest judge score first) into the triage queue. */
  sendToTriage(sliceId: string, n: number, order: 'judge_asc' | 'recent'): Promise<{ added: number; merged: number; source: string }> {
    return this.serial(async () => {
      const { report } = await this.compute('last');
      const slice = this.findSlice(report, sliceId);
      const { source, roles } = this.source();
      const rid = roles.roles.request_id?.column;
      if (!rid) throw new LoupeError({ code: 'bad_input', message: 'triage needs the request id role', hint: 'map request id in the Data view' });
      const rows = await sliceRequests(this.conn, source, report.windows, slice.dims, { window: 'current', limit: n, order });
      const label = sliceLabel(slice.dims);
      const versionCol = roles.roles.model_version?.column;
      const result = await addCases(
        this.conn,
        rows.map((r) => ({
          requestId: String(r[rid]),
          source: `slice:${label}`,
          slice: label === 'all requests' ? null : label,
          modelVersion: versionCol && r[versionCol] != null ? String(r[versionCol]) : null,
        })),
      );
      return { ...result, source: `slice:${label}` };
    });
  }

  private async compute(q: DriftQuery | 'last', progress?: Progress): Promise<{ report: DriftReport; reused: boolean }> {
    const { source, roles, dir } = this.source();
    const gen = await queryOne<{ n: number; t: string | null }>(this.conn, `SELECT count(*) AS n FROM ${REQUESTS}`);
    // 'last': whatever the Slices view computed last (detail, sparklines, triage follow it).
    const settled: DriftQuery = q === 'last' ? (this.cached ? JSON.parse(this.cached.scoreKey).q : {}) : q;
    const frameKey = JSON.stringify({ dir, n: gen?.n, roles, baseline: settled.baseline, current: settled.current, bins: settled.bins, binning: settled.binning });
    const scoreKey = JSON.stringify({ frameKey, q: settled });
    if (this.cached?.scoreKey === scoreKey) return { report: this.cached.report, reused: true };
    let prepared = this.cached?.frameKey === frameKey ? this.cached.prepared : null;
    const reused = prepared !== null;
    if (!prepared) {
      progress?.('Reading the windows, clusters and bins', 0, 2);
      prepared = await prepareDrift(this.conn, source, {
        windows: { baseline: settled.baseline, current: settled.current },
        bins: settled.bins,
        binning: settled.binning,
        clusters: { cacheSchema: WS },
      });
    }
    progress?.('Scoring every slice', 1, 2);
    const report = await scoreDrift(this.conn, prepared, { minSupport: settled.minSupport });
    progress?.('Done', 2, 2);
    this.cached = { frameKey, prepared, report, scoreKey };
    return { report, reused };
  }

  private source(): { source: DriftSource; roles: RoleMapping; dir: string } {
    const ws = this.workspace.workspace;
    if (!ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'drift works on a workspace: open one in the Data view (Alt+6)' });
    if (!ws.current.dataset) throw new LoupeError({ code: 'not_found', message: 'the workspace has no requests yet', hint: 'sync or copy exports into its exports/ folder' });
    const roles = ws.current.roles?.mapping;
    if (!roles) throw new LoupeError({ code: 'bad_input', message: 'the workspace has no column roles', hint: 'map the columns in the Data view' });
    return { source: { relation: REQUESTS, roles, cacheKey: 'ws_requests' }, roles, dir: ws.current.layout.root };
  }

  private findSlice(report: DriftReport, sliceId: string): SliceDrift {
    const slice = sliceId === '' ? report.overall : report.slices.find((s) => s.id === sliceId);
    if (!slice) throw new LoupeError({ code: 'not_found', message: `no slice "${decodeSliceId(sliceId)}" in the current drift report`, hint: 'refresh the Slices view; the windows or the data may have changed' });
    return slice;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function decodeSliceId(id: string): string {
  try {
    return id.split('&').map(decodeURIComponent).join(' × ');
  } catch {
    return id;
  }
}

/**
 * Where a version starts or stops serving the slice: its first hour with requests (unless it
 * is there from the first hour) and the hour after its last (unless it is there to the end).
 * Majority flips would mark every hour of a 50/50 split; appearances are what deploys and
 * rollbacks look like.
 */
export function versionMarkers(hours: Array<{ hour: string; versions: Record<string, number> }>): SliceDetail['versionChanges'] {
  if (hours.length < 2) return [];
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  hours.forEach((h, i) => {
    for (const [v, n] of Object.entries(h.versions)) {
      if (n <= 0) continue;
      if (!first.has(v)) first.set(v, i);
      last.set(v, i);
    }
  });
  const marks: SliceDetail['versionChanges'] = [];
  for (const [v, i] of first) if (i > 0) marks.push({ hour: hours[i].hour, from: null, to: v });
  for (const [v, i] of last) if (i < hours.length - 1) marks.push({ hour: hours[i + 1].hour, from: v, to: null });
  return marks.sort((a, b) => a.hour.localeCompare(b.hour));
}

function mainVersion(versions: Record<string, number>): string | null {
  let best: string | null = null;
  let n = -1;
  for (const [v, c] of Object.entries(versions)) if (c > n) [best, n] = [v, c];
  return best;
}

function requestSummary(roles: RoleMapping, r: Record<string, unknown>): SliceDetail['requests'][number] {
  const col = (role: keyof RoleMapping['roles']) => {
    const c = roles.roles[role]?.column;
    return c && r[c] != null ? r[c] : null;
  };
  const ts = col('timestamp');
  const judge = col('judge_score');
  const input = col('input_text');
  return {
    requestId: String(col('request_id') ?? ''),
    timestamp: ts instanceof Date ? ts.toISOString() : ts == null ? null : String(ts),
    version: col('model_version') == null ? null : String(col('model_version')),
    judgeScore: typeof judge === 'number' ? judge : judge == null ? null : Number(judge),
    preview: input == null ? '' : (typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 160),
  };
}
