import http from 'node:http';

/**
 * A minimal SSE reader for the benchmarks: counts `event: request` frames and remembers the
 * first and last cursor ids without parsing the JSON, so the client costs little next to the
 * service it measures. `lost` is the number of ids skipped between the first and the last.
 */
export interface TailCounter {
  count: number;
  firstId: number | null;
  lastId: number | null;
  /** ms from the request to the first request event */
  firstEventMs: number | null;
  lost(): number;
  close(): void;
  done: Promise<void>;
}

const EVENT = Buffer.from('\nevent: request\n');
const ID = Buffer.from('id: ');

export function openTail(base: string, token: string, opts: { cursor?: number; stopAfter?: number } = {}): TailCounter {
  const t0 = performance.now();
  const url = `${base}/v1/tail${opts.cursor != null ? `?cursor=${opts.cursor}` : ''}`;
  let carry = Buffer.alloc(0);
  let resolveDone!: () => void;
  const c: TailCounter = {
    count: 0,
    firstId: null,
    lastId: null,
    firstEventMs: null,
    lost: () => (c.firstId == null || c.lastId == null ? 0 : c.lastId - c.firstId + 1 - c.count),
    close: () => req.destroy(),
    done: new Promise<void>((r) => (resolveDone = r)),
  };
  const req = http.get(url, { headers: { Authorization: `Bearer ${token}` }, agent: false }, (res) => {
    if (res.statusCode !== 200) throw new Error(`tail answered ${res.statusCode}`);
    res.on('data', (chunk: Buffer) => {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let n = 0;
      for (let i = buf.indexOf(EVENT); i >= 0; i = buf.indexOf(EVENT, i + EVENT.length)) n++;
      if (n > 0) {
        if (c.firstEventMs == null) c.firstEventMs = performance.now() - t0;
        if (c.firstId == null) c.firstId = readId(buf, buf.indexOf(ID));
        c.lastId = readId(buf, buf.lastIndexOf(ID, buf.lastIndexOf(EVENT)));
        c.count += n;
      }
      // Keep the unmatched end (an id line or a frame cut by the chunk boundary), never a counted frame.
      const lastEnd = n > 0 ? buf.lastIndexOf(EVENT) + EVENT.length : 0;
      carry = Buffer.from(buf.subarray(Math.max(lastEnd, buf.length - 64)));
      if (opts.stopAfter != null && c.count >= opts.stopAfter) req.destroy();
    });
    res.on('close', () => resolveDone());
  });
  req.on('error', () => resolveDone());
  req.on('close', () => resolveDone());
  return c;
}

function readId(buf: Buffer, at: number): number | null {
  if (at < 0) return null;
  const end = buf.indexOf(10, at);
  const v = Number(buf.subarray(at + ID.length, end < 0 ? undefined : end).toString());
  return Number.isFinite(v) ? v : null;
}
