// The answer state both "Is this X?" modes share: one answer at a time, its error beside the controls, the last notice and its undo.
import { ref } from 'vue';
import { undoLast } from '../../stores/edits.ts';

export interface ReviewNotice {
  message: string;
  canUndo: boolean;
}

/** `reload` fetches the suggestions again after an undo: the faces are back among them, at their place in the ranking. */
export function useReviewActions(reload: () => Promise<void>) {
  const busy = ref(false);
  const actionError = ref<unknown>(null);
  const notice = ref<ReviewNotice | null>(null);

  /** Runs one answer unless another is under way; what it returns becomes the notice. */
  async function act(work: () => Promise<ReviewNotice | null>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    actionError.value = null;
    try {
      notice.value = await work();
    } catch (error) {
      actionError.value = error;
    } finally {
      busy.value = false;
    }
  }

  function undo(): Promise<void> {
    if (!notice.value?.canUndo) return Promise.resolve();
    return act(async () => {
      await undoLast();
      await reload();
      return null;
    });
  }

  function clear(): void {
    notice.value = null;
    actionError.value = null;
  }

  return { busy, actionError, notice, act, undo, clear };
}
