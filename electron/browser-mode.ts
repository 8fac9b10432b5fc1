import { createCore, type CoreOptions } from './core/core';
import { rendererDist } from './paths';
import { startWebServer, type WebServer } from './serve';

export interface BrowserModeOptions extends Omit<CoreOptions, 'transport'> {
  port?: number;
  token?: string;
}

/** Starts the core and the browser-mode server together; close() stops both. */
export async function runBrowserMode(opts: BrowserModeOptions = {}): Promise<WebServer> {
  const { port, token, ...coreOpts } = opts;
  const core = await createCore({ transport: 'browser', ...coreOpts });
  const server = await startWebServer({ core, staticDir: rendererDist, port, token });
  return {
    ...server,
    async close() {
      await server.close();
      await core.close();
    },
  };
}

export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
