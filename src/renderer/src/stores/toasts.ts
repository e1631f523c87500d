// Messages shown in the corner: errors (what failed and what to do next) and short confirmations, already translated.
import { reactive } from 'vue';
import { describeError } from '../api/error-text.ts';
import { t } from '../i18n/index.ts';

export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message: string;
}

export const toasts = reactive<Toast[]>([]);
let nextId = 1;

/** Errors stay longer than confirmations: they are read, not glanced at. */
const LIFETIME: Record<ToastKind, number> = { error: 12_000, success: 5_000, info: 6_000 };

export function notify(kind: ToastKind, title: string, message = ''): number {
  const id = nextId++;
  toasts.push({ id, kind, title, message });
  // Never more than a handful on screen: the oldest goes first.
  while (toasts.length > 4) toasts.shift();
  setTimeout(() => dismiss(id), LIFETIME[kind]);
  return id;
}

/** Shows what failed (a translated title such as "Could not open the library") and why, as describeError words it. */
export function notifyError(title: string, error: unknown): number {
  return notify('error', title, describeError(error, t));
}

export function dismiss(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}
