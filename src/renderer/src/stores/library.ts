// The open library: its folder, its catalog file, its counts and the files that could not be used.
import { reactive } from 'vue';
import type { Failure, LibraryInfo, LibraryStats } from '../../../shared/contract.ts';
import { api, isNoLibraryError, type AppEvent } from '../api/index.ts';
import { t } from '../i18n/index.ts';
import { notifyError } from './toasts.ts';

export type LibraryStatus = 'loading' | 'closed' | 'open' | 'unreachable';

interface LibraryState {
  status: LibraryStatus;
  /** Folder and catalog of the open library; null when none is open. */
  root: string | null;
  catalogFile: string | null;
  stats: LibraryStats | null;
  failures: Failure[];
  opening: boolean;
  /** Why the engine could not be asked at all (status 'unreachable'); the view words it in the current language. */
  problem: unknown;
}

export const library = reactive<LibraryState>({
  status: 'loading',
  root: null,
  catalogFile: null,
  stats: null,
  failures: [],
  opening: false,
  problem: null,
});

/** Asks the engine whether a library is open already (another window, a reload, `facet serve --library`). */
export async function loadLibrary(): Promise<void> {
  try {
    const info = await api.call('library/current', {});
    if (info) {
      showOpened(info);
      await refreshFailures();
    } else {
      Object.assign(library, { status: 'closed', stats: null, root: null, catalogFile: null, failures: [], problem: null });
    }
  } catch (error) {
    Object.assign(library, { status: 'unreachable', problem: error });
  }
}

function showOpened(info: LibraryInfo): void {
  Object.assign(library, { status: 'open', root: info.root, catalogFile: info.catalogFile, stats: info.stats, failures: [], problem: null });
}

/** Follows what happened to the library outside this page: opened from the menu or another tab, the engine restarted. */
export function handleLibraryEvent(event: AppEvent): void {
  if (event.type === 'library/opened') {
    showOpened(event.library);
    void refreshFailures();
  } else if (event.type === 'engine/crashed') {
    // The restarted engine has no library open; ask again once it is back.
    setTimeout(() => void loadLibrary(), 1_500);
  }
}

/** Opens (or switches to) the library in `root`; its catalog is created on first use. */
export async function openLibrary(root: string): Promise<boolean> {
  library.opening = true;
  try {
    showOpened(await api.call('library/open', { root }));
    await refreshFailures();
    return true;
  } catch (error) {
    notifyError(t('library.toast.openFailed'), error);
    return false;
  } finally {
    library.opening = false;
  }
}

export async function refreshStats(): Promise<void> {
  if (library.status !== 'open') return;
  try {
    library.stats = await api.call('library/stats', {});
  } catch (error) {
    if (isNoLibraryError(error)) await loadLibrary();
    else notifyError(t('library.toast.statsFailed'), error);
  }
}

export async function refreshFailures(): Promise<void> {
  try {
    library.failures = await api.call('library/failures', { limit: 1000 });
  } catch (error) {
    if (!isNoLibraryError(error)) notifyError(t('library.toast.failuresFailed'), error);
  }
}
