import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { LoupeError } from '../../../shared/errors';
import { RetryableError, parseRetryAfter } from './retry';

export interface DownloadSpec {
  url: string;
  token: string;
  /** Where the verified file ends up. */
  dest: string;
  bytes: number;
  sha256: string;
  signal?: AbortSignal;
  /** Bytes received from the network. */
  onBytes?: (n: number) => void;
  /** Bytes already on disk from an earlier attempt, counted once when a resume starts. */
  onResume?: (n: number) => void;
  timeoutMs?: number;
}

/** The in-flight name: a dot-file beside the destination, never mistaken for data. */
export function partPath(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.part`);
}

/**
 * One attempt at one file: resumes a partial download with Range (guarded by If-Range so a
 * changed file restarts), hashes while writing, and only when the sha256 matches renames the
 * temp file over the destination. A bad or short download never replaces a good file.
 */
export async function downloadOnce(spec: DownloadSpec): Promise<void> {
  const part = partPath(spec.dest);
  const meta = `${part}.json`;
  await mkdirOrExplain(path.dirname(spec.dest));

  let have = await fsp.stat(part).then((s) => s.size, () => 0);
  type PartMeta = { etag?: string; sha256?: string };
  const saved: PartMeta = await fsp.readFile(meta, 'utf8').then((t) => JSON.parse(t) as PartMeta, () => ({}));
  // A partial file for another version of the partition is useless.
  if (have > 0 && saved.sha256 !== spec.sha256) have = 0;
  if (have > spec.bytes) have = 0;

  const headers: Record<string, string> = { Authorization: `Bearer ${spec.token}` };
  if (have > 0) {
    headers.Range = `bytes=${have}-`;
    if (saved.etag) headers['If-Range'] = saved.etag;
  }
  const timeout = AbortSignal.timeout(spec.timeoutMs ?? 120_000);
  const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;

  let res: Response;
  try {
    res = await fetch(spec.url, { headers, signal });
  } catch (err) {
    if (spec.signal?.aborted) throw err;
    throw new RetryableError(`cannot reach ${new URL(spec.url).host}: ${(err as Error).message}`);
  }
  if (res.status === 429 || res.status === 503 || res.status >= 500 || res.status === 408) {
    await res.body?.cancel();
    throw new RetryableError(`${spec.url} answered ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new LoupeError({ code: res.status === 401 ? 'unauthorized' : 'forbidden', message: `the service refused the token (${res.status})`, hint: 'check the service token' });
  }
  if (res.status === 416) {
    // Our partial file is longer than the server's: start over.
    await res.body?.cancel();
    await fsp.rm(part, { force: true });
    throw new RetryableError(`${spec.url}: range not satisfiable, restarting`);
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    throw new LoupeError({ code: 'network', message: `${spec.url} answered ${res.status}`, hint: 'check the service URL' });
  }
  const resuming = res.status === 206 && have > 0;
  if (!resuming) have = 0;
  await writeFileOrExplain(meta, JSON.stringify({ etag: res.headers.get('etag') ?? undefined, sha256: spec.sha256 }));

  const hash = crypto.createHash('sha256');
  if (resuming) {
    await hashFile(part, hash);
    spec.onResume?.(have);
  }

  const out = fs.createWriteStream(part, { flags: resuming ? 'a' : 'w' });
  let written = have;
  try {
    if (!res.body) throw new RetryableError(`${spec.url}: empty response`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      written += chunk.byteLength;
      spec.onBytes?.(chunk.byteLength);
    }
  } catch (err) {
    await closeStream(out);
    if (spec.signal?.aborted) throw err;
    if (err instanceof LoupeError) throw err;
    explainWriteError(err, spec.dest);
    // The connection dropped mid-file: what arrived stays in the part file for a resume.
    throw new RetryableError(`${path.basename(spec.dest)}: download cut short at ${written} of ${spec.bytes} bytes`);
  }
  await closeStream(out);

  if (written !== spec.bytes) {
    throw new RetryableError(`${path.basename(spec.dest)}: got ${written} of ${spec.bytes} bytes`);
  }
  const digest = hash.digest('hex');
  if (digest !== spec.sha256) {
    await fsp.rm(part, { force: true });
    await fsp.rm(meta, { force: true });
    throw new RetryableError(`${path.basename(spec.dest)}: sha256 mismatch (got ${digest.slice(0, 12)}…, expected ${spec.sha256.slice(0, 12)}…)`);
  }
  await fsp.rename(part, spec.dest);
  await fsp.rm(meta, { force: true });
}

async function hashFile(file: string, hash: crypto.Hash): Promise<void> {
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
}

function closeStream(s: fs.WriteStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    s.end((err?: Error | null) => (err ? reject(err) : resolve()));
  }).catch((err) => explainWriteError(err, s.path.toString())) as Promise<void>;
}

async function mkdirOrExplain(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    explainWriteError(err, dir);
    throw err;
  }
}

async function writeFileOrExplain(file: string, text: string): Promise<void> {
  try {
    await fsp.writeFile(file, text);
  } catch (err) {
    explainWriteError(err, file);
    throw err;
  }
}

/** A full disk or a read-only folder stops the sync with a message, never a retry loop. */
function explainWriteError(err: unknown, where: string): void {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    throw new LoupeError({ code: 'bad_input', message: 'the disk is full', file: where, hint: 'free some space or sync to another folder; files already verified are kept' });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    throw new LoupeError({ code: 'bad_input', message: 'the folder is not writable', file: where, hint: 'pick a folder you can write to' });
  }
}
