/**
 * Loaded with `node --import` ahead of the entry points that run Loupe's core for long (package.json's
 * `start` and `web`): without the malloc tunables (malloc-tunables.ts) this process starts the same
 * command again with them and only waits for it, before the entry point has loaded anything.
 */
import { lacksMallocTunables, relaunchWithMallocTunables } from './malloc-tunables';

if (lacksMallocTunables()) await relaunchWithMallocTunables();
