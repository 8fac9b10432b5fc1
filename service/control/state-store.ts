import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, ServiceEvalCase } from '../../shared/service-contract';

export interface DeploymentRecord {
  state: 'rolled_back' | 'overridden' | null;
  pinned_version: string | null;
  /** Bumped on every manual or automatic action. */
  counter: number;
  updated_at: string;
}

export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface ServiceState {
  deployments: Record<string, DeploymentRecord>;
  audit: AuditEntry[];
  evalCases: Record<string, ServiceEvalCase & { received_at: string }>;
  idempotency: Record<string, StoredResponse>;
}

/**
 * The service's durable state under --data-dir: deployment states, the append-only audit
 * log, eval cases and idempotency keys. Every change is written to a temp file, fsynced and
 * renamed, so a crash leaves either the old or the new state, never half of one.
 */
export class StateStore {
  private writing = Promise.resolve();

  private constructor(
    private readonly file: string,
    readonly state: ServiceState,
  ) {}

  static async open(dataDir: string): Promise<StateStore> {
    const file = path.join(dataDir, 'state', 'state.json');
    await fsp.mkdir(path.dirname(file), { recursive: true });
    let state: ServiceState = { deployments: {}, audit: [], evalCases: {}, idempotency: {} };
    try {
      state = { ...state, ...(JSON.parse(await fsp.readFile(file, 'utf8')) as Partial<ServiceState>) };
    } catch {
      // First start: empty state.
    }
    return new StateStore(file, state);
  }

  /** Applies a change and persists it before resolving. */
  async update(change: (s: ServiceState) => void): Promise<void> {
    change(this.state);
    const snapshot = JSON.stringify(this.state);
    this.writing = this.writing.then(async () => {
      const tmp = `${this.file}.tmp`;
      const fd = await fsp.open(tmp, 'w');
      try {
        await fd.writeFile(snapshot);
        await fd.sync();
      } finally {
        await fd.close();
      }
      await fsp.rename(tmp, this.file);
    });
    await this.writing;
  }

  flushSync(): void {
    fs.writeFileSync(this.file, JSON.stringify(this.state));
  }
}
