import { create } from 'zustand';
import type { CallInput, CallOutput } from '../../shared/api';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import { client } from '../api/client';

type Settings = CallOutput<'llmSettings'>;
type Result = CallOutput<'triageSuggest'>;
type Rejudge = CallOutput<'triageRejudge'>;

/**
 * The LLM side of triage in the renderer: settings (the key is sent once and never read
 * back), the suggestion for each case as the core answered it (ok, error or unconfigured,
 * each shown once), and the last re-judge.
 */
interface JudgeState {
  settings: Settings | null;
  showSettings: boolean;
  suggestions: Record<string, Result>;
  pending: Record<string, boolean>;
  rejudge: Rejudge | null;
  rejudging: boolean;
  error: LoupeErrorValue | null;

  loadSettings(): Promise<void>;
  saveSettings(set: NonNullable<CallInput<'llmSettings'>['set']>): Promise<boolean>;
  toggleSettings(show?: boolean): void;
  /** Asks for the case's suggestion, prefetching the next ones in the core. */
  suggest(caseId: string, next: string[], retry?: boolean): Promise<void>;
  runRejudge(input: CallInput<'triageRejudge'>): Promise<void>;
  reset(): void;
}

export const useJudge = create<JudgeState>((set, get) => ({
  settings: null,
  showSettings: false,
  suggestions: {},
  pending: {},
  rejudge: null,
  rejudging: false,
  error: null,

  async loadSettings() {
    try {
      set({ settings: await client.call('llmSettings', {}), error: null });
    } catch (err) {
      set({ error: toErrorValue(err) });
    }
  },

  async saveSettings(s) {
    try {
      const settings = await client.call('llmSettings', { set: s });
      // A new server or model: earlier answers no longer apply.
      set({ settings, suggestions: {}, error: null, showSettings: !settings.configured });
      return true;
    } catch (err) {
      set({ error: toErrorValue(err) });
      return false;
    }
  },

  toggleSettings(show) {
    set({ showSettings: show ?? !get().showSettings });
  },

  async suggest(caseId, next, retry = false) {
    if (!get().settings?.configured) return;
    if (!retry && (get().suggestions[caseId] || get().pending[caseId])) return;
    set({ pending: { ...get().pending, [caseId]: true } });
    try {
      const r = await client.call('triageSuggest', { caseId, prefetch: next, retry });
      set({ suggestions: { ...get().suggestions, [caseId]: r } });
    } catch (err) {
      set({ error: toErrorValue(err) });
    } finally {
      const { [caseId]: _, ...rest } = get().pending;
      set({ pending: rest });
    }
  },

  async runRejudge(input) {
    set({ rejudging: true, error: null });
    try {
      set({ rejudge: await client.call('triageRejudge', input) });
    } catch (err) {
      set({ error: toErrorValue(err) });
    } finally {
      set({ rejudging: false });
    }
  },

  reset() {
    set({ suggestions: {}, pending: {}, rejudge: null, error: null });
  },
}));
