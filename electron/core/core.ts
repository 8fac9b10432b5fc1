import { EventEmitter } from 'node:events';
import type { CallName, CallOutput, CallParsedInput, EventName, EventPayload } from '../../shared/api';
import pkg from '../../package.json' with { type: 'json' };
import { openDatabase, queryOne, type Database } from './db/duckdb';
import { listDirectory } from './workspace/list-directory';
import { DatasetRegistry } from './workspace/datasets';

export type Handlers = { [N in CallName]: (input: CallParsedInput<N>) => Promise<CallOutput<N>> };

export interface CoreOptions {
  transport: 'electron' | 'browser';
  /** Folder of the bundled sample workspace, offered on the start screen. */
  sampleDataPath?: string | null;
  /** Path for Loupe's own DuckDB state; in-memory when omitted. */
  stateFile?: string;
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
  const bus = new EventEmitter();
  const duckdbVersion = (await queryOne<{ v: string }>(db.conn, 'SELECT version() AS v'))?.v ?? 'unknown';

  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => bus.emit('event', name, payload);
  let task = 0;

  const handlers: Handlers = {
    openDataset: async ({ paths }) => {
      const id = `open-${++task}`;
      return datasets.openPaths(paths, (label, done, total) =>
        emit('progress', { task: id, label, done, total, finished: label === 'Done' }),
      );
    },
    closeDataset: async ({ datasetId }) => ({ closed: await datasets.close(datasetId) }),
    columnProfile: (input) => datasets.profile(input),
    previewRows: (input) => datasets.previewRows(input),
    listDirectory: ({ path }) => listDirectory(path),
    appInfo: async () => ({
      version: pkg.version,
      transport: opts.transport,
      duckdbVersion,
      sampleDataPath: opts.sampleDataPath ?? null,
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
      db.close();
    },
  };
}
