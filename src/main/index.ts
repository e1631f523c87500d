// Electron main: one locked-down window, the engine in a utility process, IPC and media through one gate each.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseMediaPath } from '../shared/media.ts';
import { contentSecurityPolicy } from '../shared/security.ts';
import { EngineClient } from './engine-client.ts';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL, EVENT_CHANNEL } from '../shared/channels.ts';
import { parseCall } from '../shared/contract.ts';
import { isTrustedSender } from './ipc.ts';

const MEDIA_SCHEME = 'facet-media';
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererFile).href;
const windowPolicy = contentSecurityPolicy([`${MEDIA_SCHEME}:`]);

protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let window: BrowserWindow | undefined;
const engine = new EngineClient(join(import.meta.dirname, 'engine-host.js'), { FACET_DATA_DIR: join(app.getPath('userData'), 'data') }, (event) =>
  window?.webContents.send(EVENT_CHANNEL, event),
);

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Facet',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window?.show());
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.on('closed', () => (window = undefined));
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
}

async function chooseFolder(): Promise<string | null> {
  const options = { title: 'Open a photo library', properties: ['openDirectory' as const] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

/** Menu actions go through the engine like the renderer's own calls; failures are shown in a box. */
async function menuAction(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    dialog.showErrorBox('Facet', (error as Error).message);
  }
}

function buildMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Library…',
          accelerator: 'CmdOrCtrl+O',
          click: () =>
            menuAction(async () => {
              const root = await chooseFolder();
              if (root) await engine.call('library/open', { root });
            }),
        },
        { label: 'Re-scan', accelerator: 'CmdOrCtrl+R', click: () => menuAction(() => engine.call('library/scan', {})) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [windowPolicy] } });
  });
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const media = parseMediaPath(`${url.host}${url.pathname}`);
    if (!media || url.search) return new Response('not found', { status: 404 });
    try {
      const { contentType, body } = await engine.media(media);
      return new Response(new Uint8Array(body), { headers: { 'content-type': contentType } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, params: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, rendererUrl)) throw new Error('IPC call refused: unknown sender');
    const call = parseCall(method, params);
    return engine.call(call.method, call.params);
  });
  ipcMain.handle(CHOOSE_FOLDER_CHANNEL, async (event) => {
    if (!isTrustedSender(event.senderFrame?.url, rendererUrl)) throw new Error('IPC call refused: unknown sender');
    return chooseFolder();
  });
  engine.start();
  buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('before-quit', () => engine.stop());
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
