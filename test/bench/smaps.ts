import fs from 'node:fs';

/** A process's resident memory by who mapped it, in MB (from /proc/PID/smaps). */
export interface RssByKind {
  /** glibc malloc: the main heap and the per-thread arenas (C++ `new`, Node's own mallocs). */
  glibc: number;
  /** Anonymous mappings that are not glibc's: V8's heap and DuckDB's bundled jemalloc, mostly. */
  otherAnon: number;
  /** Mapped files: the node binary, libduckdb.so, the workspace's files if mapped. */
  files: number;
}

/** glibc reserves each thread arena as a 64 MB-aligned 64 MB heap (HEAP_MAX_SIZE on 64-bit). */
const ARENA = 64 * 2 ** 20;

interface Mapping {
  start: number;
  end: number;
  perms: string;
  name: string;
  rssKb: number;
}

export function rssByKind(pid: number): RssByKind {
  const maps: Mapping[] = [];
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) maps.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), perms: m[3], name: m[4], rssKb: 0 });
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && maps.length) maps[maps.length - 1].rssKb = Number(rss[1]);
  }
  const out: RssByKind = { glibc: 0, otherAnon: 0, files: 0 };
  maps.forEach((m, i) => {
    let kind: keyof RssByKind;
    if (m.name === '[heap]') kind = 'glibc';
    else if (m.name && !m.name.startsWith('[')) kind = 'files';
    else if (m.name) kind = 'otherAnon';
    else {
      // An arena's heap: its used part, then the rest of the 64 MB reserved without access.
      const next = maps[i + 1];
      const reservedRest = next && next.start === m.end && next.perms.startsWith('---') && next.end === m.start + ARENA;
      kind = m.start % ARENA === 0 && (m.end - m.start === ARENA || reservedRest) ? 'glibc' : 'otherAnon';
    }
    out[kind] += m.rssKb / 1024;
  });
  return out;
}
