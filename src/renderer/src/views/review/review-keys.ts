// Single-key answers for the Review panels: a window-wide key listener that stays quiet while the person types or a dialog is open.
import { onBeforeUnmount, onMounted } from 'vue';

/** True when the key belongs to something else: a text field, a select, an open dialog. */
function typingElsewhere(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (target?.closest('input, textarea, select, [contenteditable="true"]')) return true;
  return document.querySelector('dialog[open]') !== null;
}

/**
 * Calls `handle` for keys pressed in the view; it returns true when it used the key (the browser's own action,
 * such as scrolling on Space or pressing a focused button on Enter, is then cancelled).
 */
export function useReviewKeys(handle: (event: KeyboardEvent) => boolean): void {
  const listener = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.isComposing || typingElsewhere(event)) return;
    if (handle(event)) event.preventDefault();
  };
  onMounted(() => window.addEventListener('keydown', listener));
  onBeforeUnmount(() => window.removeEventListener('keydown', listener));
}

/** Ctrl+Z (⌘Z on a Mac), the app's undo everywhere. */
export function isUndoKey(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.code === 'KeyZ';
}

/** A plain key, pressed without Ctrl, Alt or ⌘ (so Ctrl+N and the like keep their meaning). */
export function isPlainKey(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}
