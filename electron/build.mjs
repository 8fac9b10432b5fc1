// Bundles the Electron main process and preload with esbuild. The renderer is built by Vite.
// DuckDB's native binding stays external (it is unpacked from asar by electron-builder).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  external: ['electron', '@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.cjs', format: 'cjs' });
// Sandboxed preloads must be a single CommonJS file that requires only 'electron'.
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs', format: 'cjs', external: ['electron'] });
console.log('built dist-electron/main.cjs and dist-electron/preload.cjs');
