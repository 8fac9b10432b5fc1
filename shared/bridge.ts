import type { Envelope, EventName } from './api';

/**
 * What electron/preload.ts exposes on `window.loupeBridge`. Deliberately tiny and untyped at
 * the wire: the typed client in the renderer validates everything through shared/api.ts.
 */
export interface LoupeBridge {
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
  /** Native "Open…" dialog; resolves to the chosen paths (empty when cancelled). */
  openDialog(kind: 'files' | 'folder'): Promise<string[]>;
  /** The filesystem path of a dropped File (Electron's webUtils). */
  pathForFile(file: File): string;
  /** Paths opened from the app menu, a second instance or the command line. */
  onOpenPaths(listener: (paths: string[]) => void): () => void;
}

export const IPC_INVOKE = 'loupe:invoke';
export const IPC_EVENT = 'loupe:event';
export const IPC_OPEN_DIALOG = 'loupe:open-dialog';
/** Main → renderer: the user opened paths from the menu, a drop, or a second instance. */
export const IPC_OPEN_PATHS = 'loupe:open-paths';
