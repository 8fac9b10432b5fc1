import { create } from 'zustand';
import type { CallOutput, TriageCaseRow } from '../../shared/api';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import { client } from '../api/client';

type Queue = CallOutput<'triageQueue'>;
type Detail = CallOutput<'triageCase'>;
export type RootCause = NonNullable<TriageCaseRow['root_cause']>;
export type StatusFilter = 'todo' | 'all' | 'labelled' | 'promoted' | 'dismissed';

const STATUS: Record<StatusFilter, TriageCaseRow['status'][] | undefined> = {
  todo: ['open'],
  all: undefined,
  labelled: ['labelled'],
  promoted: ['promoted'],
  dismissed: ['dismissed'],
};
/** Cases whose details are fetched ahead, so the next case shows without waiting. */
const PREFETCH = 3;

interface TriageState {
  queue: Queue | null;
  status: StatusFilter;
  source: string;
  version: string;
  /** Position in the queue as loaded; cases labelled on the way stay in place until reload. */
  index: number;
  details: Record<string, Detail>;
  /** 'note' and 'promote' take text; 'keys' is the single-key flow. */
  mode: 'keys' | 'note' | 'promote';
  autoAdvance: boolean;
  showHelp: boolean;
  /** Writes sent to the core and not yet acknowledged (labels are saved in order). */
  saving: number;
  /** The last action the core confirmed as written, shown as "saved". */
  saved: { caseId: string; what: string } | null;
  error: LoupeErrorValue | null;
  info: string | null;
  /** Milliseconds from a labelling key to the next case on screen, for the last few labels. */
  keyToNextMs: number[];

  load(): Promise<void>;
  setFilter(f: Partial<Pick<TriageState, 'status' | 'source' | 'version'>>): Promise<void>;
  go(delta: number): void;
  /** Labels the current case; `suggestion` is set when the user accepted the LLM's label. */
  label(rootCause: RootCause, suggestion?: { confidence: number; rationale: string; model: string }): Promise<void>;
  act(action: 'note' | 'promote' | 'dismiss' | 'reopen', text?: string): Promise<void>;
  undo(): Promise<void>;
  collect(): Promise<void>;
  exportEvalSet(out: string): Promise<void>;
  /** Cases from the service's triage feed (thumbs down, edits, abandons, its auto-flags). */
  importFeed(): Promise<void>;
  /** Promoted cases to the service's eval-case sink; `onlyFailed` retries the failed ones. */
  pushEvalCases(onlyFailed: boolean): Promise<void>;
  loadPushes(): Promise<void>;
  pushes: CallOutput<'triageEvalPushes'>;
  setMode(mode: TriageState['mode']): void;
  toggleHelp(): void;
  toggleAutoAdvance(): void;
}

export const useTriage = create<TriageState>((set, get) => {
  const current = (): TriageCaseRow | null => get().queue?.cases[get().index] ?? null;

  // Label writes reach the core in the order of the keys, whatever their round-trip times.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T,>(fn: () => Promise<T>): Promise<T> => {
    const run = writes.then(fn, fn);
    writes = run.catch(() => undefined);
    return run;
  };

  const fetchDetail = async (caseId: string, force = false) => {
    if (!force && get().details[caseId]) return;
    try {
      const detail = await client.call('triageCase', { caseId });
      set({ details: { ...get().details, [caseId]: detail } });
    } catch (err) {
      set({ error: toErrorValue(err) });
    }
  };

  const prefetchAround = () => {
    const cases = get().queue?.cases ?? [];
    for (let i = get().index; i < Math.min(cases.length, get().index + PREFETCH + 1); i++) void fetchDetail(cases[i].case_id);
  };

  /** Replaces one row of the loaded queue with the core's answer and refreshes counters. */
  const replaceRow = (row: TriageCaseRow) => {
    const q = get().queue;
    if (!q) return;
    set({ queue: { ...q, cases: q.cases.map((c) => (c.case_id === row.case_id ? row : c)) } });
    void fetchDetail(row.case_id, true);
    void refreshCounters();
  };

  const refreshCounters = async () => {
    try {
      const fresh = await client.call('triageQueue', { filter: {} });
      const q = get().queue;
      if (q) set({ queue: { ...q, counts: fresh.counts, labelsLastHour: fresh.labelsLastHour, conversion: fresh.conversion, rootCauses: fresh.rootCauses } });
    } catch {
      // Counters are secondary; the labels themselves are already saved.
    }
  };

  const advance = () => {
    const n = get().queue?.cases.length ?? 0;
    if (get().autoAdvance && get().index < n - 1) {
      set({ index: get().index + 1 });
      prefetchAround();
    }
  };

  return {
    queue: null,
    status: 'todo',
    source: '',
    version: '',
    index: 0,
    details: {},
    mode: 'keys',
    autoAdvance: true,
    showHelp: false,
    saving: 0,
    saved: null,
    error: null,
    info: null,
    keyToNextMs: [],

    async load() {
      const { status, source, version } = get();
      try {
        const queue = await client.call('triageQueue', {
          filter: { status: STATUS[status], source: source || undefined, modelVersion: version || undefined },
        });
        set({ queue, index: 0, error: null });
        prefetchAround();
      } catch (err) {
        set({ error: toErrorValue(err), queue: null });
      }
    },

    async setFilter(f) {
      set(f);
      await get().load();
    },

    go(delta) {
      const n = get().queue?.cases.length ?? 0;
      if (!n) return;
      set({ index: Math.max(0, Math.min(n - 1, get().index + delta)), mode: 'keys' });
      prefetchAround();
    },

    async label(rootCause, suggestion) {
      const c = current();
      if (!c) return;
      const t0 = performance.now();
      set({ saving: get().saving + 1, error: null });
      // The next case shows at once; this one is marked saved only when the core has
      // committed its label event, and writes go out one at a time in key order.
      advance();
      requestAnimationFrame(() => set({ keyToNextMs: [...get().keyToNextMs.slice(-19), performance.now() - t0] }));
      try {
        const res = await serial(() => client.call('triageAct', { caseId: c.case_id, action: 'label', rootCause, suggestion: suggestion ?? null }));
        set({ saved: { caseId: c.case_id, what: `labelled ${rootCause.replace('_', ' ')}` } });
        replaceRow(res.case);
      } catch (err) {
        const e = toErrorValue(err);
        set({ error: { ...e, message: `the label of ${c.case_id} was not saved: ${e.message}` } });
      } finally {
        set({ saving: get().saving - 1 });
      }
    },

    async act(action, text) {
      const c = current();
      if (!c) return;
      set({ saving: get().saving + 1, error: null });
      try {
        const res = await serial(() => client.call('triageAct', {
          caseId: c.case_id,
          action,
          note: action === 'note' ? text : undefined,
          expected: action === 'promote' ? text : undefined,
        }));
        const what = { note: 'note saved', promote: 'promoted to the eval set', dismiss: 'dismissed', reopen: 'reopened' }[action];
        set({ saved: { caseId: c.case_id, what }, mode: 'keys' });
        replaceRow(res.case);
        if (action === 'promote' || action === 'dismiss') advance();
      } catch (err) {
        set({ error: toErrorValue(err) });
      } finally {
        set({ saving: get().saving - 1 });
      }
    },

    async undo() {
      set({ saving: get().saving + 1, error: null });
      try {
        const res = await serial(() => client.call('triageUndo', {}));
        if (!res.case || !res.event) {
          set({ info: 'nothing to undo' });
          return;
        }
        replaceRow(res.case);
        // Go back to the case the undone action was on, as annotation tools do.
        const i = get().queue?.cases.findIndex((x) => x.case_id === res.case!.case_id) ?? -1;
        if (i >= 0) set({ index: i });
        set({ saved: { caseId: res.case.case_id, what: 'undone' } });
      } catch (err) {
        set({ error: toErrorValue(err) });
      } finally {
        set({ saving: get().saving - 1 });
      }
    },

    async collect() {
      try {
        const r = await client.call('triageCollect', {});
        const skipped = r.skipped.map((s) => `${s.rule} (map: ${s.missing.join(', ')})`).join('; ');
        set({ info: `${r.added} new case${r.added === 1 ? '' : 's'} from the rules${r.merged ? `, ${r.merged} already queued` : ''}${skipped ? ` — skipped ${skipped}` : ''}` });
        await get().load();
      } catch (err) {
        set({ error: toErrorValue(err) });
      }
    },

    pushes: [],

    async importFeed() {
      try {
        const r = await client.call('triageImportFeed', {});
        const kinds = Object.entries(r.bySource).map(([k, n]) => `${n} ${k.replace('service:', '').replace('_', ' ')}`).join(', ');
        set({ info: `${r.added} new case${r.added === 1 ? '' : 's'} from the service's feed${r.merged ? `, ${r.merged} already queued` : ''}${kinds ? ` (${kinds})` : ''}` });
        await get().load();
      } catch (err) {
        set({ error: toErrorValue(err) });
      }
    },

    async pushEvalCases(onlyFailed) {
      try {
        const r = await client.call('triagePushEvalCases', { onlyFailed });
        set({
          pushes: r.states,
          info: `pushed ${r.created} new eval case${r.created === 1 ? '' : 's'} to the service${r.existing ? `, ${r.existing} were already there` : ''}${r.failed.length ? `; ${r.failed.length} failed: ${r.failed[0].message}` : ''}`,
        });
      } catch (err) {
        set({ error: toErrorValue(err) });
      }
    },

    async loadPushes() {
      try {
        set({ pushes: await client.call('triageEvalPushes', {}) });
      } catch {
        // The push state is secondary; the queue works without it.
      }
    },

    async exportEvalSet(out) {
      try {
        const r = await client.call('exportEvalSet', { out, parquet: true });
        set({ info: `exported ${r.cases} eval case${r.cases === 1 ? '' : 's'} to ${r.files.join(' and ')}` });
      } catch (err) {
        set({ error: toErrorValue(err) });
      }
    },

    setMode(mode) {
      set({ mode });
    },
    toggleHelp() {
      set({ showHelp: !get().showHelp });
    },
    toggleAutoAdvance() {
      set({ autoAdvance: !get().autoAdvance });
    },
  };
});
