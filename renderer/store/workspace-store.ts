import { create } from 'zustand';
import type { WorkspaceSummary } from '../../shared/api';
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
  loadRecent(): Promise<void>;
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
