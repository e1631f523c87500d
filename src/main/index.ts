// Electron main: one locked-down window, the engine in a utility process, IPC relayed through one gate.
import { app, BrowserWindow, ipcMain, session, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostMessage, HostReply } from './host-protocol.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, checkCall, isTrustedSender } from './ipc.ts';

const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererFile).href;

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: facet-media:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let window: BrowserWindow | undefined;
let engine: UtilityProcess | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

/** Starts the engine host; if it dies, pending calls fail, the window is told, and it restarts. */
function startEngine(): void {
  const host = utilityProcess.fork(join(import.meta.dirname, 'engine-host.js'), [], {
    serviceName: 'Facet engine',
    env: { ...process.env, FACET_DATA_DIR: join(app.getPath('userData'), 'data') },
  });
  host.on('message', (reply: HostReply) => {
    if (reply.type === 'event') {
      window?.webContents.send(EVENT_CHANNEL, reply.event);
      return;
    }
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (!call) return;
    if (reply.ok) call.resolve(reply.result);
    else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  });
  host.on('exit', (code) => {
    for (const call of pending.values()) call.reject(new Error(`the engine stopped (exit code ${code}); it is restarting`));
    pending.clear();
    engine = undefined;
    window?.webContents.send(EVENT_CHANNEL, { type: 'engine/crashed', code });
    if (!quitting) startEngine();
  });
  engine = host;
}

function callEngine(method: string, params: unknown): Promise<unknown> {
  if (!engine) return Promise.reject(new Error('the engine is restarting; try again'));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    engine!.postMessage({ id, method, params } satisfies HostMessage);
  });
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 860,
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

let quitting = false;

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, params: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, rendererUrl)) throw new Error('IPC call refused: unknown sender');
    const call = checkCall(method, params);
    return callEngine(call.method, call.params);
  });
  startEngine();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('before-quit', () => {
  quitting = true;
  engine?.kill();
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
