import type { Table } from 'apache-arrow';
import { create } from 'zustand';
import type { ColumnProfile, DatasetSummary, EventPayload } from '../../shared/api';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import { bridge, client, decodeArrow } from '../api/client';

export const ROW_PAGE = 200;

type ProfileState = { status: 'loading' } | { status: 'ready'; profile: ColumnProfile } | { status: 'error'; error: LoupeErrorValue };

interface DataState {
  status: 'idle' | 'opening' | 'open' | 'error';
  paths: string[];
  summary: DatasetSummary | null;
  error: LoupeErrorValue | null;
  progress: EventPayload<'progress'> | null;
  profiles: Record<string, ProfileState>;
  pages: Record<number, Table | 'loading' | LoupeErrorValue>;
  open(paths: string[]): Promise<void>;
  /** Shows a dataset opened elsewhere (a workspace's requests table). */
  show(summary: DatasetSummary | null): void;
  beginOpening(): void;
  endOpening(): void;
  /** Electron only: the native dialog, then open what was picked. */
  openFromDialog(kind: 'files' | 'folder'): Promise<void>;
  loadProfile(column: string): Promise<void>;
  loadPage(page: number): Promise<void>;
}

/** The Data view's state: the open dataset, its per-column charts and pages of rows. */
export const useData = create<DataState>((set, get) => ({
  status: 'idle',
  paths: [],
  summary: null,
  error: null,
  progress: null,
  profiles: {},
  pages: {},

  async open(paths) {
    const previous = get().summary;
    set({ status: 'opening', paths, error: null, progress: null });
    try {
      const summary = await client.call('openDataset', { paths });
      set({ status: 'open', summary, profiles: {}, pages: {}, progress: null });
      if (previous) void client.call('closeDataset', { datasetId: previous.datasetId }).catch(() => {});
      rememberRecent(paths);
    } catch (err) {
      // The previous dataset (if any) stays usable: a bad file must not cost the user their view.
      set({ status: previous ? 'open' : 'error', error: toErrorValue(err), progress: null });
    }
  },

  show(summary) {
    set({ status: summary ? 'open' : 'idle', summary, error: null, profiles: {}, pages: {}, progress: null });
  },
  beginOpening() {
    set({ status: 'opening', error: null, progress: null });
  },
  endOpening() {
    set({ status: get().summary ? 'open' : 'idle', progress: null });
  },

  async openFromDialog(kind) {
    const paths = (await bridge?.openDialog(kind)) ?? [];
    if (paths.length) await get().open(paths);
  },

  async loadProfile(column) {
    const { summary, profiles } = get();
    if (!summary || profiles[column]) return;
    set({ profiles: { ...get().profiles, [column]: { status: 'loading' } } });
    try {
      const profile = await client.call('columnProfile', { datasetId: summary.datasetId, column });
      if (get().summary?.datasetId === summary.datasetId) {
        set({ profiles: { ...get().profiles, [column]: { status: 'ready', profile } } });
      }
    } catch (err) {
      set({ profiles: { ...get().profiles, [column]: { status: 'error', error: toErrorValue(err) } } });
    }
  },

  async loadPage(page) {
    const { summary, pages } = get();
    if (!summary || pages[page]) return;
    set({ pages: { ...pages, [page]: 'loading' } });
    try {
      const bytes = await client.call('previewRows', { datasetId: summary.datasetId, offset: page * ROW_PAGE, limit: ROW_PAGE });
      if (get().summary?.datasetId === summary.datasetId) set({ pages: { ...get().pages, [page]: decodeArrow(bytes) } });
    } catch (err) {
      set({ pages: { ...get().pages, [page]: toErrorValue(err) } });
    }
  },
}));

client.on('progress', (p) => {
  if (useData.getState().status === 'opening') useData.setState({ progress: p });
});

const RECENT_KEY = 'loupe-recent-paths';

export function recentPaths(): string[][] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[][];
  } catch {
    return [];
  }
}

function rememberRecent(paths: string[]): void {
  const key = JSON.stringify(paths);
  const list = [paths, ...recentPaths().filter((p) => JSON.stringify(p) !== key)].slice(0, 8);
  localStorage.setItem(RECENT_KEY, JSON.stringify(list));
}
