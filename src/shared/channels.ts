// IPC channel names shared by Electron main and the preload.
export const CALL_CHANNEL = 'facet:call';
export const EVENT_CHANNEL = 'facet:event';
/** Electron only: the native folder picker, which a browser has no equivalent of. */
export const CHOOSE_FOLDER_CHANNEL = 'facet:choose-folder';
