import { create } from 'zustand';
import type { LiveAlert, LiveRow, TailSnapshot } from '../../shared/live';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import { client } from '../api/client';
import { useDeployments } from './deployments-store';
import { useDrift } from './drift-store';
import { useNav } from './nav-store';
import { useWorkspace } from './workspace-store';

/** The table keeps this many newest requests; older ones are in the workspace, not in memory. */
export const LIVE_WINDOW = 2000;

interface LiveState {
  snapshot: TailSnapshot | null;
  /** Newest first, at most LIVE_WINDOW. */
  rows: LiveRow[];
  paused: boolean;
  /** Rows that arrived while paused, shown when resumed (bounded like the table). */
  held: LiveRow[];
  filter: { dim: 'route' | 'locale' | 'tenant_tier' | 'model_version' | 'deployment'; value: string } | null;
  /**
   * Alerts raised since the app opened that the analyst has not dismissed, shown on every view;
   * one whose episode already ended (raised and cleared in one batch) is shown too, marked so.
   */
  notifications: LiveAlert[];
  error: LoupeErrorValue | null;
  /** Wall-clock ms from an event's snapshot leaving the core to it reaching the store (for the bench). */
  lastDeliveryMs: number | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  setPaused(p: boolean): void;
  setFilter(f: LiveState['filter']): void;
  dismiss(id: string): void;
  /** Syncs from the service's exports the hours the stream's gaps skipped. */
  syncGaps(): Promise<void>;
  /** That sync, as the Live view reports it (apart from syncs started in the Data view). */
  gapSync: { running: boolean; downloaded: number | null; skipped: number | null; failed: number; error: LoupeErrorValue | null };
  /** Opens what the alert is about: its deployment, or the Slices table ranked by its axis. */
  openAlert(a: LiveAlert): void;
  receive(s: TailSnapshot): void;
}

const seen = new Set<string>();

export const useLive = create<LiveState>((set, get) => ({
  snapshot: null,
  rows: [],
  paused: false,
  held: [],
  filter: null,
  notifications: [],
  gapSync: { running: false, downloaded: null, skipped: null, failed: 0, error: null },
  error: null,
  lastDeliveryMs: null,

  async start() {
    set({ error: null });
    try {
      get().receive(await client.call('tailStart', { from: 'resume' }));
    } catch (err) {
      set({ error: toErrorValue(err) });
    }
  },
  async stop() {
    try {
      get().receive(await client.call('tailStop', {}));
    } catch (err) {
      set({ error: toErrorValue(err) });
    }
  },
  setPaused(paused) {
    const { held, rows } = get();
    set(paused ? { paused } : { paused, rows: [...held, ...rows].slice(0, LIVE_WINDOW), held: [] });
  },
  setFilter(filter) {
    set({ filter });
  },
  dismiss(id) {
    set({ notifications: get().notifications.filter((n) => n.id !== id) });
  },
  async syncGaps() {
    const hours = [...new Set(get().snapshot?.gaps.flatMap((g) => g.hours) ?? [])].sort();
    if (!hours.length) return;
    set({ gapSync: { running: true, downloaded: null, skipped: null, failed: 0, error: null } });
    await useWorkspace.getState().sync(hours);
    const { syncResult: r, error } = useWorkspace.getState();
    set({ gapSync: { running: false, downloaded: r?.downloaded ?? null, skipped: r?.skipped ?? null, failed: r?.failed.length ?? 0, error: r ? null : error } });
  },
  openAlert(a) {
    get().dismiss(a.id);
    const { view, deployment, axis } = a.target;
    if (view === 'deployments' && deployment) {
      // The Deployments view selects its `selected` when it opens; already open, it is told.
      if (useNav.getState().view === 'deployments') void useDeployments.getState().select(deployment);
      else useDeployments.setState({ selected: deployment });
    }
    if (view === 'slices' && axis) useDrift.getState().setFilter({ axis, sort: axis });
    useNav.getState().go(view);
  },
  receive(s) {
    const { paused, rows, held, notifications } = get();
    // Alerts come in the snapshot as the core's newest 50: each is notified once, the first time
    // it appears — active, or already over if it was raised since the last snapshot this page saw
    // (not a past one a reloaded page finds) — unless the rows a resumed tail replayed raised it.
    const since = get().snapshot ? Date.parse(get().snapshot!.at) : Infinity;
    const unseen = s.alerts.filter((a) => !seen.has(a.id));
    for (const a of unseen) seen.add(a.id);
    const fresh = unseen.filter((a) => !a.replayed && (a.active || Date.parse(a.raisedAt) >= since));
    // Every snapshot carries the analytics, re-evaluated only every few seconds: an unchanged one
    // (same evaluation) keeps the previous object, so what is derived from it (the charts' data)
    // is not rebuilt.
    const prev = get().snapshot;
    const snapshot = prev && s.analyticsSeq !== 0 && s.analyticsSeq === prev.analyticsSeq ? { ...s, analytics: prev.analytics } : s;
    const next: Partial<LiveState> = { snapshot, lastDeliveryMs: Date.now() - Date.parse(s.at) };
    if (s.rows.length) {
      if (paused) next.held = [...s.rows, ...held].slice(0, LIVE_WINDOW);
      else next.rows = [...s.rows, ...rows].slice(0, LIVE_WINDOW);
    }
    if (fresh.length) next.notifications = [...fresh, ...notifications].slice(0, 5);
    set(next);
  },
}));

client.on('tail', (s) => useLive.getState().receive(s));
