import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { CallName, CallOutput, CallParsedInput, EventName, EventPayload } from '../../shared/api';
import pkg from '../../package.json' with { type: 'json' };
import { openDatabase, queryOne, type Database } from './db/duckdb';
import { SyncSession } from './exports/sync-session';
import { ControlSession } from './control/control-session';
import { fileSecretStore, type SecretStore } from './secrets/secret-store';
import { DriftService } from './drift/drift-service';
import { JudgeSession } from './judge/judge-session';
import { TailSession } from './tail/tail-session';
import { TriageRemote } from './triage/triage-remote';
import { TriageService } from './triage/triage-service';
import { DatasetRegistry } from './workspace/datasets';
import { guessRoles } from './workspace/guess-roles';
import { listDirectory } from './workspace/list-directory';
import { listRecentWorkspaces, loupeHome } from './workspace/recent-workspaces';
import { WorkspaceSession } from './workspace/workspace-session';

export type Handlers = { [N in CallName]: (input: CallParsedInput<N>) => Promise<CallOutput<N>> };

export interface CoreOptions {
  transport: 'electron' | 'browser';
  /** The bundled sample workspace: offered on the start screen, opened on first start, and
   * connected to the reference service that `npm start` runs. */
  sample?: { dir: string; serviceUrl: string; token: string } | null;
  /** Path for Loupe's own DuckDB state; in-memory when omitted. */
  stateFile?: string;
  /** Where tokens live; Electron passes a safeStorage store, browser mode defaults to a 0600 file. */
  secrets?: SecretStore;
}

export interface Core {
  handlers: Handlers;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}


/** The core: plain Node, no Electron. Both transports call these handlers after validation. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const db: Database = await openDatabase({ file: opts.stateFile });
  const datasets = new DatasetRegistry(db.conn);
  const workspace = new WorkspaceSession(db.conn, datasets, (columns) => guessRoles(columns).mapping);
  const triage = new TriageService(db.conn, workspace);
  const drift = new DriftService(db.conn, workspace);
  const secrets = opts.secrets ?? fileSecretStore(path.join(loupeHome(), 'secrets.json'));
  const bus = new EventEmitter();
  const duckdbVersion = (await queryOne<{ v: string }>(db.conn, 'SELECT version() AS v'))?.v ?? 'unknown';

  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => bus.emit('event', name, payload);
  const sync = new SyncSession(db.conn, workspace, secrets, (p) => emit('sync', p));
  const control = new ControlSession(db.conn, workspace, () => sync.credentials());
  const judge = new JudgeSession(db.conn, workspace, triage, secrets);
  const triageRemote = new TriageRemote(db.conn, workspace, () => sync.credentials());
  const tail = new TailSession(db.instance, workspace, () => sync.credentials(), (s) => emit('tail', s));
  let task = 0;
  const progressFor = (kind: string) => {
    const id = `${kind}-${++task}`;
    return (label: string, done: number, total: number | null) =>
      emit('progress', { task: id, label, done, total, finished: label === 'Done' });
  };

  const handlers: Handlers = {
    openDataset: ({ paths }) => datasets.openPaths(paths, progressFor('open')),
    closeDataset: async ({ datasetId }) => ({ closed: await datasets.close(datasetId) }),
    columnProfile: (input) => datasets.profile(input),
    previewRows: (input) => datasets.previewRows(input),
    listDirectory: ({ path }) => listDirectory(path),
    openWorkspace: async ({ dir }) => {
      await tail.stop(); // live rows belong to the workspace they started in
      const summary = await workspace.open(dir, progressFor('workspace'));
      // The sample workspace comes connected to the reference service it was exported from.
      if (opts.sample && path.resolve(dir) === path.resolve(opts.sample.dir) && !(await sync.connection()).hasToken) {
        await sync.connection({ url: opts.sample.serviceUrl, token: opts.sample.token });
      }
      return summary;
    },
    refreshWorkspace: () => workspace.refresh(progressFor('workspace')),
    closeWorkspace: async () => {
      await tail.stop();
      return { closed: await workspace.close() };
    },
    recentWorkspaces: () => listRecentWorkspaces(),
    setRoles: ({ mapping }) => workspace.setRoles(mapping),
    overview: (q) => drift.overview(q, progressFor('drift')),
    driftReport: (q) => drift.report(q, progressFor('drift')),
    sliceDetail: ({ sliceId, requests }) => drift.detail(sliceId, requests),
    sliceSparklines: () => drift.sparklines(),
    requestDetail: ({ requestId }) => drift.request(requestId),
    sendSliceToTriage: ({ sliceId, n, order }) => drift.sendToTriage(sliceId, n, order),
    triageQueue: (input) => triage.queue(input),
    triageCase: ({ caseId }) => triage.caseDetail(caseId),
    triageAct: (input) => triage.act(input),
    triageUndo: () => triage.undo(),
    triageCollect: () => triage.collect(),
    triageRules: ({ set }) => triage.rules(set),
    exportEvalSet: ({ out, parquet }) => triage.exportEvalSet(out, parquet),
    llmSettings: (input) => judge.settings(input),
    triageSuggest: ({ caseId, prefetch, retry }) => judge.suggest(caseId, prefetch, retry),
    triageRejudge: (input) => judge.rejudge(input),
    triageImportFeed: () => triageRemote.importFeed(),
    triagePushEvalCases: ({ onlyFailed }) => triageRemote.pushEvalCases(onlyFailed),
    triageEvalPushes: () => triageRemote.pushStates(),
    serviceConnection: ({ set }) => sync.connection(set),
    syncWorkspace: ({ concurrency, hours }) => sync.sync(concurrency, hours),
    cancelSync: async () => ({ cancelled: sync.cancel() }),
    deployments: () => control.deployments(),
    deploymentEvidence: ({ deployment }) => control.evidence(deployment),
    controlAct: (input) => control.act(input),
    controlAudit: () => control.audit(),
    tailStart: (input) => tail.start(input),
    tailStop: () => tail.stop(),
    tailStatus: async () => tail.status(),
    appInfo: async () => ({
      version: pkg.version,
      transport: opts.transport,
      duckdbVersion,
      sampleDataPath: opts.sample?.dir ?? null,
    }),
  };

  return {
    handlers,
    emit,
    onEvent(listener) {
      const l = (name: EventName, payload: unknown) => listener(name, payload);
      bus.on('event', l);
      return () => bus.off('event', l);
    },
    async close() {
      bus.removeAllListeners();
      await tail.stop();
      await workspace.close();
      db.close();
    },
  };
}
