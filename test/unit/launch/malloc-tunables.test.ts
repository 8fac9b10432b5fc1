import { describe, expect, it } from 'vitest';
import { lacksMallocTunables, MALLOC_TUNABLES, withMallocTunables } from '../../../electron/malloc-tunables';

describe('malloc tunables', () => {
  it('adds the mmap threshold to GLIBC_TUNABLES, after tunables already set, and keeps one the user set', () => {
    expect(withMallocTunables({}).GLIBC_TUNABLES).toBe('glibc.malloc.mmap_threshold=131072');
    expect(withMallocTunables({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072');
    const own = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536', PATH: '/bin' };
    expect(withMallocTunables(own)).toBe(own);
    expect(MALLOC_TUNABLES).toEqual(['glibc.malloc.mmap_threshold=131072']);
  });

  it('asks for a relaunch only on glibc without them, unless turned off', () => {
    const onGlibc = process.platform === 'linux' && !!(process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
    expect(lacksMallocTunables({})).toBe(onGlibc);
    expect(lacksMallocTunables(withMallocTunables({}))).toBe(false);
    expect(lacksMallocTunables({ LOUPE_MALLOC_TUNABLES: 'off' })).toBe(false);
  });
});
