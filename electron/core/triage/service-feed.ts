import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import { triageFeedSchema } from '../../../shared/service-contract';
import { readSetting, writeSetting } from '../workspace/state-db';
import { addCases } from './cases';
import { serviceJson, type ServiceCredentials } from './service-request';

/** Per service URL: a workspace pointed at another service starts that feed from the beginning. */
const sinceKey = (url: string) => `triage_feed_since:${url.replace(/\/+$/, '')}`;
/** The service returns at most this many items per call (the contract's maximum). */
const LIMIT = 1000;
/**
 * The feed filters with `at > since`; items stamped with the same time can arrive after we
 * looked, so each import re-asks a minute back. Re-seen items merge into their case.
 */
const OVERLAP_MS = 60_000;

/**
 * Imports the service's triage feed (thumbs down, edits, abandons, its own auto-flags) into the
 * queue as cases with source `service:<kind>`, each carrying the request the feed sent, so it
 * can be triaged before its hour is synced. A request already queued gains the source instead
 * of becoming a second case.
 */
export async function importServiceFeed(conn: DuckDBConnection, creds: ServiceCredentials) {
  const since = await readSetting<string>(conn, sinceKey(creds.url));
  const from = since ? new Date(Date.parse(since) - OVERLAP_MS).toISOString() : null;
  const q = new URLSearchParams({ limit: String(LIMIT), ...(from ? { since: from } : {}) });
  const res = await serviceJson(creds, 'GET', `/v1/triage?${q}`);
  const parsed = triageFeedSchema.safeParse(res.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoupeError({
      code: 'bad_input',
      message: `the service's triage feed does not match the contract: ${issue.path.join('.')} ${issue.message}`,
      file: `${creds.url}/v1/triage`,
      hint: 'see shared/openapi.yaml, TriageItem',
    });
  }
  const items = parsed.data.items;
  const bySource: Record<string, number> = {};
  for (const i of items) bySource[`service:${i.kind}`] = (bySource[`service:${i.kind}`] ?? 0) + 1;
  const r = await addCases(
    conn,
    items.map((i) => ({ requestId: i.request.request_id, source: `service:${i.kind}`, modelVersion: i.request.model_version, request: i.request })),
  );
  const newest = items.reduce<string | null>((m, i) => (m == null || i.at > m ? i.at : m), since);
  if (newest && newest !== since) await writeSetting(conn, sinceKey(creds.url), newest);
  return { fetched: items.length, added: r.added, merged: r.merged, bySource, since: newest };
}
