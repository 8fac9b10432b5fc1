#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `loupe` works from a fresh clone without a build.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
if (process.argv[2] === 'tail') {
  // A live tail runs for hours: with glibc's malloc tuned (electron/malloc-tunables.ts).
  const tunables = await import(path.join(here, '..', 'electron', 'malloc-tunables.ts'));
  if (tunables.lacksMallocTunables()) await tunables.relaunchWithMallocTunables();
}
await import(path.join(here, '..', 'electron', 'cli', 'loupe.ts'));
