import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EventName } from '../shared/api';
import { IPC_EVENT, IPC_INVOKE, IPC_OPEN_DIALOG, IPC_OPEN_PATHS, type LoupeBridge } from '../shared/bridge';

// Sandboxed preload: the renderer gets these few functions and nothing of Node or ipcRenderer.
const bridge: LoupeBridge = {
  invoke: (name, input) => ipcRenderer.invoke(IPC_INVOKE, name, input),
  on(name: EventName, listener) {
    const handler = (_e: unknown, event: string, payload: unknown) => {
      if (event === name) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
  openDialog: (kind) => ipcRenderer.invoke(IPC_OPEN_DIALOG, kind),
  pathForFile: (file) => webUtils.getPathForFile(file),
  onOpenPaths(listener) {
    const handler = (_e: unknown, paths: string[]) => listener(paths);
    ipcRenderer.on(IPC_OPEN_PATHS, handler);
    return () => ipcRenderer.removeListener(IPC_OPEN_PATHS, handler);
  },
};

contextBridge.exposeInMainWorld('loupeBridge', bridge);
