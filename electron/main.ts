import { BrowserWindow, Menu, app, dialog, ipcMain, net, protocol, safeStorage, session, shell, type MenuItemConstructorOptions } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT, IPC_INVOKE, IPC_OPEN_DIALOG, IPC_OPEN_PATHS } from '../shared/bridge';
import { createCore, type Core } from './core/core';
import { dispatch } from './core/dispatch';
import { fileSecretStore, type SecretStore } from './core/secrets/secret-store';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { lacksMallocTunables, withMallocTunables } from './malloc-tunables';

/**
 * The Electron shell: a window onto the renderer, IPC onto the core, and the few native
 * things only a desktop app has (dialogs, drag-and-drop paths, the menu). Everything else is
 * in electron/core, which never imports electron.
 */

const SCHEME = 'app';
const rendererDir = path.join(app.getAppPath(), 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// The core runs in this process, and on Linux its memory on a long live tail depends on glibc's
// malloc settings (malloc-tunables.ts), which glibc reads only at exec. `npm start` passes them;
// a packaged app started from the desktop starts itself once more with them. The marker argument
// stops a second relaunch should the environment not carry over.
const RELAUNCHED = '--loupe-malloc-relaunched';
const relaunching = lacksMallocTunables() && !process.argv.includes(RELAUNCHED);
if (relaunching) {
  process.env.GLIBC_TUNABLES = withMallocTunables(process.env).GLIBC_TUNABLES;
  app.relaunch({ args: [...process.argv.slice(1), RELAUNCHED] });
  app.exit(0);
}

// (Not while relaunching: the new instance must not find this one holding the lock.)
if (!relaunching && !app.requestSingleInstanceLock()) {
  app.quit();
  process.exit(0);
}

let core: Core | null = null;
let win: BrowserWindow | null = null;

/** `.parquet` files and folders named on the command line (also from a second instance). */
function pathsFromArgv(argv: string[], cwd = process.cwd()): string[] {
  return argv
    .slice(app.isPackaged ? 1 : 2)
    .filter((a) => !a.startsWith('-'))
    .map((a) => path.resolve(cwd, a))
    .filter((p) => fs.existsSync(p) && (fs.statSync(p).isDirectory() || p.toLowerCase().endsWith('.parquet')));
}

function sendOpenPaths(paths: string[]): void {
  if (paths.length && win) win.webContents.send(IPC_OPEN_PATHS, paths);
}

async function showOpenDialog(kind: 'files' | 'folder'): Promise<string[]> {
  const opts: Electron.OpenDialogOptions =
    kind === 'folder'
      ? { title: 'Open a folder of Parquet exports', properties: ['openDirectory'] }
      : {
          title: 'Open Parquet files',
          properties: ['openFile', 'multiSelections'],
          filters: [{ name: 'Parquet', extensions: ['parquet'] }],
        };
  const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return result.canceled ? [] : result.filePaths;
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Files…', accelerator: 'CmdOrCtrl+O', click: async () => sendOpenPaths(await showOpenDialog('files')) },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: async () => sendOpenPaths(await showOpenDialog('folder')) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Loupe on the web', click: () => void shell.openExternal('https://github.com/') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Tokens encrypted with the OS keychain; on Linux without one, safeStorage is plain text: say so. */
function safeStorageSecrets(): SecretStore {
  const file = path.join(app.getPath('userData'), 'secrets.json');
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  const weak = !safeStorage.isEncryptionAvailable() || backend === 'basic_text' || backend === 'unknown';
  return fileSecretStore(
    file,
    {
      encode: (s) => safeStorage.encryptString(s).toString('base64'),
      decode: (s) => safeStorage.decryptString(Buffer.from(s, 'base64')),
    },
    weak ? 'no OS keychain is available (safeStorage falls back to plain text): tokens are only as safe as this user account' : null,
  );
}

function isAppUrl(url: string): boolean {
  return url.startsWith(`${SCHEME}://loupe/`);
}

async function createWindow(): Promise<void> {
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Loupe',
    backgroundColor: '#12151c',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = null));
  await win.loadURL(`${SCHEME}://loupe/index.html`);
  sendOpenPaths(pathsFromArgv(process.argv));
}

app.on('web-contents-created', (_e, contents) => {
  // No navigation away from the app and no new windows: links open in the system browser.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('second-instance', (_e, argv, cwd) => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
  sendOpenPaths(pathsFromArgv(argv, cwd));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (!win) void createWindow();
});

app.on('will-quit', () => {
  void core?.close();
});

app.whenReady().then(async () => {
  if (relaunching) return; // app.exit is on its way; the relaunched instance opens the window
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  protocol.handle(SCHEME, async (request) => {
    const { pathname } = new URL(request.url);
    const file = path.resolve(rendererDir, decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html');
    if (!file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(res.body, { status: res.status, headers });
  });

  const { LOUPE_SAMPLE_WORKSPACE: dir, LOUPE_SAMPLE_SERVICE: serviceUrl, LOUPE_SAMPLE_TOKEN: token } = process.env;
  core = await createCore({
    transport: 'electron',
    secrets: safeStorageSecrets(),
    sample: dir && serviceUrl && token ? { dir, serviceUrl, token } : null,
  });
  core.onEvent((name, payload) => win?.webContents.send(IPC_EVENT, name, payload));

  ipcMain.handle(IPC_INVOKE, (event, name: unknown, input: unknown) => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'forbidden', message: 'calls are accepted from the Loupe window only' } };
    }
    return dispatch(core!.handlers, String(name), input);
  });
  ipcMain.handle(IPC_OPEN_DIALOG, (_event, kind: unknown) => showOpenDialog(kind === 'folder' ? 'folder' : 'files'));

  buildMenu();
  await createWindow();
});
