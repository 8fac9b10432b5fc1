import { LoupeError } from '../../../shared/errors';
import { RetryableError, parseRetryAfter, withRetry, type RetryOptions } from '../exports/retry';

export interface ServiceCredentials {
  url: string;
  token: string;
}

/**
 * One JSON request to the team's service with the workspace's token: retried with backoff
 * on network errors, 429 and 5xx (honouring Retry-After), refused plainly on 401/403/4xx.
 */
export async function serviceJson(
  creds: ServiceCredentials,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  body?: unknown,
  retry: Pick<RetryOptions, 'attempts' | 'baseMs' | 'maxMs' | 'signal'> = {},
): Promise<{ status: number; body: unknown }> {
  const url = `${creds.url.replace(/\/+$/, '')}${pathAndQuery}`;
  return withRetry(
    async () => {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: { Authorization: `Bearer ${creds.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        throw new RetryableError(`cannot reach ${creds.url}: ${(err as Error).message}`);
      }
      if (res.status === 429 || res.status >= 500) {
        throw new RetryableError(`${method} ${pathAndQuery} answered ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
      }
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      if (res.status === 401 || res.status === 403) {
        const reason = (parsed as { error?: { message?: string } } | null)?.error?.message;
        throw new LoupeError({
          code: res.status === 401 ? 'unauthorized' : 'forbidden',
          message: `${creds.url} refused ${method} ${pathAndQuery} (${res.status}${reason ? `: ${reason}` : ''})`,
          hint: res.status === 403 ? 'this needs a token with more rights (an operator token)' : 'check the service token in the Data view',
        });
      }
      if (!res.ok) {
        const reason = (parsed as { error?: { message?: string } } | null)?.error?.message ?? String(text).slice(0, 200);
        throw new LoupeError({ code: 'bad_input', message: `${method} ${pathAndQuery} answered ${res.status}: ${reason}` });
      }
      return { status: res.status, body: parsed };
    },
    { attempts: 5, baseMs: 250, maxMs: 10_000, ...retry },
  ).catch((err) => {
    if (err instanceof RetryableError) {
      throw new LoupeError({ code: 'network', message: `${err.message} (after retries)`, hint: 'the service may be down or overloaded; try again' });
    }
    throw err;
  });
}

export function requireCredentials(c: ServiceCredentials | null): ServiceCredentials {
  if (!c) throw new LoupeError({ code: 'bad_input', message: 'no service is connected to this workspace', hint: 'set the service URL and token in the Data view' });
  return c;
}
