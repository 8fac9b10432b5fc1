import { create } from 'zustand';
import type { CallOutput, SyncProgressEvent, WorkspaceSummary } from '../../shared/api';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import type { RoleMapping } from '../../shared/roles';
import { client } from '../api/client';
import { useData } from './data-store';

interface WorkspaceState {
  status: 'none' | 'opening' | 'open' | 'error';
  summary: WorkspaceSummary | null;
  recent: Array<{ dir: string; name: string; openedAt: string }>;
  error: LoupeErrorValue | null;
  saving: boolean;
  connection: CallOutput<'serviceConnection'> | null;
  syncing: boolean;
  syncProgress: SyncProgressEvent | null;
  syncResult: Omit<CallOutput<'syncWorkspace'>, 'workspace'> | null;
  loadRecent(): Promise<void>;
  /** First run: open the bundled sample workspace, so a new user starts with data. */
  openSampleOnFirstRun(): Promise<void>;
  loadConnection(): Promise<void>;
  saveConnection(url: string, token?: string): Promise<void>;
  /** Syncs the service's exports; with `hours`, only the partitions of those hours (a tail gap's). */
  sync(hours?: string[]): Promise<void>;
  cancelSync(): Promise<void>;
  open(dir: string): Promise<void>;
  refresh(): Promise<void>;
  saveRoles(mapping: RoleMapping): Promise<void>;
}

/** The open workspace; its requests table is shown in the Data view like any dataset. */
export const useWorkspace = create<WorkspaceState>((set, get) => {
  const adopt = (summary: WorkspaceSummary) => {
    set({ status: 'open', summary, error: null });
    useData.getState().show(summary.dataset);
  };
  return {
    status: 'none',
    summary: null,
    recent: [],
    error: null,
    saving: false,
    connection: null,
    syncing: false,
    syncProgress: null,
    syncResult: null,

    async openSampleOnFirstRun() {
      try {
        const [info, recent] = await Promise.all([client.call('appInfo', {}), client.call('recentWorkspaces', {})]);
        if (info.sampleDataPath && recent.length === 0 && get().status === 'none') await get().open(info.sampleDataPath);
      } catch {
        // Nothing to restore; the start screen offers the choices.
      }
    },

    async loadConnection() {
      try {
        set({ connection: await client.call('serviceConnection', {}) });
      } catch {
        set({ connection: null });
      }
    },

    async saveConnection(url, token) {
      try {
        set({ connection: await client.call('serviceConnection', { set: { url, token: token || undefined } }), error: null });
      } catch (err) {
        set({ error: toErrorValue(err) });
      }
    },

    async sync(hours) {
      set({ syncing: true, syncProgress: null, syncResult: null, error: null });
      try {
        const { workspace, ...result } = await client.call('syncWorkspace', hours ? { hours } : {});
        set({ syncResult: result });
        adopt(workspace);
      } catch (err) {
        set({ error: toErrorValue(err) });
      } finally {
        set({ syncing: false });
      }
    },

    async cancelSync() {
      await client.call('cancelSync', {}).catch(() => {});
    },

    async loadRecent() {
      try {
        set({ recent: await client.call('recentWorkspaces', {}) });
      } catch {
        // The list is a convenience; without it the user can still open a folder.
      }
    },

    async open(dir) {
      set({ status: 'opening', error: null });
      useData.getState().beginOpening();
      try {
        adopt(await client.call('openWorkspace', { dir }));
        void get().loadRecent();
        void get().loadConnection();
      } catch (err) {
        set({ status: get().summary ? 'open' : 'error', error: toErrorValue(err) });
        useData.getState().endOpening();
      }
    },

    async refresh() {
      try {
        adopt(await client.call('refreshWorkspace', {}));
      } catch (err) {
        set({ error: toErrorValue(err) });
      }
    },

    async saveRoles(mapping) {
      set({ saving: true, error: null });
      try {
        adopt(await client.call('setRoles', { mapping }));
      } catch (err) {
        set({ error: toErrorValue(err) });
      } finally {
        set({ saving: false });
      }
    },
  };
});

client.on('sync', (p) => useWorkspace.setState({ syncProgress: p }));
