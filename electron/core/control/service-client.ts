import { LoupeError } from '../../../shared/errors';
import {
  auditSchema,
  controlResultSchema,
  deploymentSchema,
  deploymentsSchema,
  healthSchema,
  serviceErrorSchema,
  type AuditEntry,
  type ControlAction,
  type Deployment,
} from '../../../shared/service-contract';
import { RetryableError, parseRetryAfter, withRetry, type RetryOptions } from '../exports/retry';
import { describeChanges, type DeploymentChange } from './what-changed';

export type ControlKind = 'rollback' | 'override';

export interface ControlRequest {
  kind: ControlKind;
  deployment: string;
  action: ControlAction;
  /** The deployment revision the analyst decided on; sent as If-Match. */
  revision: string;
  /** Chosen once per decision and reused on every retry, so the service acts at most once. */
  idempotencyKey: string;
}

/** What a control call came to: done (maybe a replay of an earlier attempt), or a conflict to decide again. */
export type ControlOutcome =
  | { outcome: 'done'; replayed: boolean; deployment: Deployment; audit: AuditEntry }
  | {
      outcome: 'conflict';
      status: 409 | 412;
      code: string;
      message: string;
      /** The deployment as the service sees it now, when it said. */
      current: Deployment | null;
      changes: DeploymentChange[];
    };

export interface ControlClientOptions {
  url: string;
  token: string;
  /** Who acts, for the audit log (X-Actor). */
  actor: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

/**
 * The service's control API (deployments, rollback, override, audit) over HTTP with the bearer
 * token. Reads and writes are retried on network errors, 429 and 5xx with backoff; writes can
 * be, because every attempt of one decision carries the same Idempotency-Key and the service
 * answers a repeat with the first outcome instead of acting again.
 */
export class ControlClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: ControlClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** The token's role, as the service reports it on /v1/health. */
  async role(): Promise<{ role: 'viewer' | 'operator'; now: string; version: string }> {
    const h = healthSchema.parse(await this.getJson('/v1/health'));
    return { role: h.role, now: h.now, version: h.version };
  }

  async deployments(): Promise<Deployment[]> {
    return deploymentsSchema.parse(await this.getJson('/v1/deployments')).deployments;
  }

  async deployment(id: string): Promise<Deployment> {
    return deploymentSchema.parse(await this.getJson(`/v1/deployments/${encodeURIComponent(id)}`));
  }

  async audit(): Promise<AuditEntry[]> {
    return auditSchema.parse(await this.getJson('/v1/audit')).entries;
  }

  async act(req: ControlRequest, before?: Deployment): Promise<ControlOutcome> {
    const path = `/v1/deployments/${encodeURIComponent(req.deployment)}/${req.kind}`;
    const res = await this.send(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': req.idempotencyKey,
        'If-Match': `"${req.revision}"`,
        'X-Actor': this.opts.actor,
      },
      body: JSON.stringify(req.action),
    });
    const body = await readBody(res);
    if (res.ok) {
      const r = controlResultSchema.parse(body);
      return { outcome: 'done', replayed: res.headers.get('idempotent-replayed') === 'true', deployment: r.deployment, audit: r.audit };
    }
    if (res.status === 409 || res.status === 412) {
      const err = serviceErrorSchema.safeParse(body);
      const cur = deploymentSchema.safeParse((body as { deployment?: unknown } | null)?.deployment);
      const current = cur.success ? cur.data : null;
      return {
        outcome: 'conflict',
        status: res.status,
        code: err.success ? err.data.error.code : 'conflict',
        message: err.success ? err.data.error.message : `the service answered ${res.status}`,
        current,
        changes: before && current ? describeChanges(before, current) : [],
      };
    }
    throw this.httpError(res, body);
  }

  private async getJson(path: string): Promise<unknown> {
    const res = await this.send(path, { method: 'GET' });
    const body = await readBody(res);
    if (!res.ok) throw this.httpError(res, body);
    return body;
  }

  /** One request with a timeout, retried while the failure is one that waiting can fix. */
  private send(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.base}${path}`;
    return withRetry(
      async () => {
        let res: Response;
        try {
          res = await this.fetchImpl(url, {
            ...init,
            headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${this.opts.token}` },
            signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
          });
        } catch (err) {
          throw new RetryableError(`cannot reach ${this.base}: ${describeFetchError(err)}`);
        }
        if (res.status === 429 || res.status >= 500) {
          await res.body?.cancel();
          throw new RetryableError(`${this.base} answered ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
        }
        return res;
      },
      { attempts: 3, baseMs: 200, maxMs: 2000, ...this.opts.retry },
    ).catch((err: unknown) => {
      if (err instanceof RetryableError) {
        throw new LoupeError({
          code: 'network',
          message: err.message,
          hint: 'nothing was confirmed; retrying sends the same request again and the service will not act twice',
        });
      }
      throw err;
    });
  }

  private httpError(res: Response, body: unknown): LoupeError {
    const parsed = serviceErrorSchema.safeParse(body);
    const message = parsed.success ? parsed.data.error.message : `the service answered ${res.status}`;
    if (res.status === 401) {
      return new LoupeError({ code: 'unauthorized', message: `the service refused the token: ${message}`, hint: 'set a valid token for this service' });
    }
    if (res.status === 403) {
      return new LoupeError({ code: 'forbidden', message: `the service refused the action: ${message}`, hint: 'control actions need an operator token' });
    }
    if (res.status === 404) return new LoupeError({ code: 'not_found', message });
    return new LoupeError({ code: 'bad_input', message: `the service answered ${res.status}: ${message}` });
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
