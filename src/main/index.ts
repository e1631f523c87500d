// Electron main: one locked-down window loaded from app://, the engine in a utility process, IPC and media through one gate each.
import { app, BrowserWindow, dialog, Menu, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MEDIA_SCHEME, parseMediaPath } from '../shared/media.ts';
import { contentSecurityPolicy } from '../shared/security.ts';
import { EngineClient } from './engine-client.ts';
import { EVENT_CHANNEL } from '../shared/channels.ts';
import { APP_SCHEME, chooseRendererUrl, contentTypeOf, rendererFilePath } from './app-protocol.ts';
import { registerIpcHandlers } from './ipc.ts';
import { OfferedRoots } from './library-roots.ts';

const rendererDir = join(import.meta.dirname, '../renderer');
const rendererUrl = chooseRendererUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
const windowPolicy = contentSecurityPolicy([`${MEDIA_SCHEME}:`]);

const privileges = { standard: true, secure: true, supportFetchAPI: true };
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges },
  { scheme: MEDIA_SCHEME, privileges },
]);

let window: BrowserWindow | undefined;
const engine = new EngineClient(join(import.meta.dirname, 'engine-host.js'), { FACET_DATA_DIR: join(app.getPath('userData'), 'data') }, (event) =>
  window?.webContents.send(EVENT_CHANNEL, event),
);
const roots = new OfferedRoots(join(app.getPath('userData'), 'recent-libraries.json'), { platform: process.platform, home: homedir() });

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
  void window.loadURL(rendererUrl);
}

/** Serves the built renderer under app://facet/ with the same CSP as `facet serve`; nothing outside its folder. */
async function serveRenderer(request: Request): Promise<Response> {
  const file = rendererFilePath(rendererDir, request.url);
  if (!file) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), { headers: { 'content-type': contentTypeOf(file), 'content-security-policy': windowPolicy } });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

/** Opens a library main itself offered (its dialog, its recent list), and remembers it. */
async function openLibrary(root: string): Promise<void> {
  await engine.call('library/open', { root });
  roots.addOpened(root);
  buildMenu();
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
              if (root) await openLibrary(root);
            }),
        },
        {
          label: 'Open Recent',
          enabled: roots.recent.length > 0,
          submenu: roots.recent.map((root) => ({ label: root, click: () => menuAction(() => openLibrary(root)) })),
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

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The dev server's pages get the policy here; app:// responses carry it themselves.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [windowPolicy] } });
  });
  protocol.handle(APP_SCHEME, serveRenderer);
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
  registerIpcHandlers({
    rendererUrl,
    call: (method, params) => engine.call(method, params),
    chooseFolder,
    roots: {
      addChosen: (root) => roots.addChosen(root),
      check: (root) => roots.check(root),
      addOpened: (root) => {
        roots.addOpened(root);
        buildMenu();
      },
    },
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
