import { create } from 'zustand';
import type { DriftQuery, DriftReportView, OverviewView, SliceDetail, SliceRow, Sparklines } from '../../shared/drift-schemas';
import { defaultFilter, type SliceFilter } from './slice-filter';

export { defaultFilter, sliceName, visibleSlices, type SliceFilter, type SortKey } from './slice-filter';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import { client } from '../api/client';
import { useWorkspace } from './workspace-store';

type Load = 'idle' | 'loading' | 'ready' | 'error';

interface DriftState {
  query: DriftQuery;
  status: Load;
  report: DriftReportView | null;
  error: LoupeErrorValue | null;
  filter: SliceFilter;
  sparklines: Sparklines | null;
  /** Row under the keyboard cursor. */
  cursor: string | null;
  /** The slice whose detail is open. */
  openId: string | null;
  detail: SliceDetail | null;
  detailStatus: Load;
  detailError: LoupeErrorValue | null;
  sent: { sliceId: string; added: number; merged: number } | null;
  overview: OverviewView | null;
  overviewStatus: Load;
  overviewError: LoupeErrorValue | null;

  load(query?: Partial<DriftQuery>): Promise<void>;
  setFilter(f: Partial<SliceFilter>): void;
  moveCursor(delta: number, rows: SliceRow[]): void;
  setCursor(id: string | null): void;
  openSlice(id: string): Promise<void>;
  closeSlice(): void;
  sendToTriage(n: number): Promise<void>;
  loadOverview(): Promise<void>;
}


/** The drift report, the Slices table's filters and cursor, the open slice and the overview. */
export const useDrift = create<DriftState>((set, get) => ({
  query: {},
  status: 'idle',
  report: null,
  error: null,
  filter: defaultFilter,
  sparklines: null,
  cursor: null,
  openId: null,
  detail: null,
  detailStatus: 'idle',
  detailError: null,
  sent: null,
  overview: null,
  overviewStatus: 'idle',
  overviewError: null,

  async load(partial) {
    const query = { ...get().query, ...partial };
    set({ query, status: 'loading', error: null });
    try {
      const report = await client.call('driftReport', query);
      const cursor = get().cursor && report.slices.some((s) => s.id === get().cursor) ? get().cursor : (report.slices[0]?.id ?? null);
      set({ report, status: 'ready', cursor, overview: null, overviewStatus: 'idle' });
      // Sparklines follow the table: a second, lighter pass the table does not wait for.
      if (!report.reused || !get().sparklines) {
        set({ sparklines: null });
        client.call('sliceSparklines', {}).then((sparklines) => set({ sparklines }), () => set({ sparklines: { days: [], series: {} } }));
      }
      const open = get().openId;
      if (open !== null) void get().openSlice(open);
    } catch (err) {
      set({ status: 'error', error: toErrorValue(err) });
    }
  },

  setFilter(f) {
    set({ filter: { ...get().filter, ...f } });
  },

  moveCursor(delta, rows) {
    if (!rows.length) return;
    const i = rows.findIndex((r) => r.id === get().cursor);
    const next = Math.max(0, Math.min(rows.length - 1, (i < 0 ? 0 : i + delta)));
    set({ cursor: rows[next].id });
  },

  setCursor(id) {
    set({ cursor: id });
  },

  async openSlice(id) {
    set({ openId: id, cursor: id === '' ? get().cursor : id, detailStatus: 'loading', detailError: null, sent: null });
    try {
      const detail = await client.call('sliceDetail', { sliceId: id, requests: 50 });
      if (get().openId === id) set({ detail, detailStatus: 'ready' });
    } catch (err) {
      if (get().openId === id) set({ detailStatus: 'error', detailError: toErrorValue(err), detail: null });
    }
  },

  closeSlice() {
    set({ openId: null, detail: null, detailStatus: 'idle', sent: null });
  },

  async sendToTriage(n) {
    const id = get().openId;
    if (id === null) return;
    try {
      const r = await client.call('sendSliceToTriage', { sliceId: id, n, order: 'judge_asc' });
      set({ sent: { sliceId: id, added: r.added, merged: r.merged } });
    } catch (err) {
      set({ detailError: toErrorValue(err) });
    }
  },

  async loadOverview() {
    set({ overviewStatus: 'loading', overviewError: null });
    try {
      set({ overview: await client.call('overview', get().query), overviewStatus: 'ready' });
    } catch (err) {
      set({ overviewStatus: 'error', overviewError: toErrorValue(err) });
    }
  },
}));

// A new workspace, new rows or new roles make the report stale: the views recompute on return.
useWorkspace.subscribe((s, prev) => {
  if (s.summary !== prev.summary) {
    useDrift.setState({ status: 'idle', report: null, sparklines: null, openId: null, detail: null, overview: null, overviewStatus: 'idle', sent: null });
  }
});
