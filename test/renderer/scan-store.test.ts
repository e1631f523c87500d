// The scan store's notice when the Electron engine host dies: "restarting", or, once main gave up, why it stays stopped.
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/renderer/src/api/index.ts', () => ({ api: { call: vi.fn() }, isNoLibraryError: () => false }));
vi.mock('../../src/renderer/src/i18n/index.ts', () => ({
  t: (key: string, params?: Record<string, unknown>) => (params ? `${key} ${JSON.stringify(params)}` : key),
}));

const { handleScanEvent } = await import('../../src/renderer/src/stores/scan.ts');
const { toasts } = await import('../../src/renderer/src/stores/toasts.ts');

describe('handleScanEvent on engine/crashed', () => {
  beforeEach(() => {
    toasts.splice(0);
  });

  it('says the engine is restarting', () => {
    handleScanEvent({ type: 'engine/crashed', code: 1 });
    expect(toasts.at(-1)).toMatchObject({ kind: 'error', title: 'library.toast.engineStopped', message: 'library.toast.engineRestarting' });
  });

  it('says it gave up, with the exit code, when main stopped restarting it', () => {
    handleScanEvent({ type: 'engine/crashed', code: 134, gaveUp: true });
    expect(toasts.at(-1)).toMatchObject({ kind: 'error', message: 'library.toast.engineGaveUp {"code":134}' });
  });
});
