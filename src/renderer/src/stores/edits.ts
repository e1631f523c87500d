// Tagging, untagging and marking faces, with undo (Ctrl+Z) of the last change; views reload when `edits.version` moves.
import { reactive } from 'vue';
import type { FaceEditUndo, FaceMark } from '../../../shared/contract.ts';
import { api } from '../api/index.ts';
import { t } from '../i18n/index.ts';
import { notify, notifyError } from './toasts.ts';
import { loadPeople, markUsed, wasCreatedByNaming } from './people.ts';
import { refreshStats } from './library.ts';

export type EditKind = 'tag' | 'untag' | 'mark' | 'unmark';

interface Edit {
  kind: EditKind;
  faces: number;
  previous: FaceEditUndo['previous'];
  /** For a tag: the person tagged, so undo can take away a person that only this tag gave faces to. */
  identityId?: number;
}

const UNDO_DEPTH = 50;

export const edits = reactive({
  /** Bumped after every change (and undo), so views showing faces know to reload. */
  version: 0,
  undoStack: [] as Edit[],
  busy: false,
});

function changed(edit: Edit): void {
  edits.undoStack.push(edit);
  if (edits.undoStack.length > UNDO_DEPTH) edits.undoStack.shift();
  edits.version++;
  void loadPeople();
  void refreshStats();
}

async function run<T>(work: () => Promise<T>): Promise<T> {
  edits.busy = true;
  try {
    return await work();
  } finally {
    edits.busy = false;
  }
}

export function tagFaces(faceIds: number[], identityId: number): Promise<void> {
  return run(async () => {
    const { previous } = await api.call('faces/tag', { faceIds, identityId });
    markUsed(identityId);
    changed({ kind: 'tag', faces: faceIds.length, previous, identityId });
  });
}

export function untagFaces(faceIds: number[]): Promise<void> {
  return run(async () => {
    const { previous } = await api.call('faces/untag', { faceIds });
    changed({ kind: 'untag', faces: faceIds.length, previous });
  });
}

export function markFaces(faceIds: number[], mark: FaceMark): Promise<void> {
  return run(async () => {
    const { previous } = await api.call('faces/mark', { faceIds, mark });
    changed({ kind: 'mark', faces: faceIds.length, previous });
  });
}

export function unmarkFaces(faceIds: number[]): Promise<void> {
  return run(async () => {
    const { previous } = await api.call('faces/unmark', { faceIds });
    changed({ kind: 'unmark', faces: faceIds.length, previous });
  });
}

/** Naming faces with a new name created that person: undoing the naming leaves no empty person behind. */
async function forgetEmptyNewPerson(edit: Edit): Promise<void> {
  if (edit.kind !== 'tag' || edit.identityId === undefined || !wasCreatedByNaming(edit.identityId)) return;
  const person = (await api.call('identities/list', {})).find((p) => p.id === edit.identityId);
  if (person && person.faces === 0) await api.call('identities/delete', { id: person.id });
}

/** Group face ids by a key, skipping faces whose key is undefined. */
function groupBy<K>(items: FaceEditUndo['previous'], key: (item: FaceEditUndo['previous'][number]) => K): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item.faceId]);
  }
  return groups;
}

/**
 * Puts every face of the last change back as it was: its tag (or none) and its mark (or none).
 * Returns what was undone, or null when there was nothing to undo.
 */
export function undoLast(): Promise<Edit | null> {
  const edit = edits.undoStack.pop();
  if (!edit) return Promise.resolve(null);
  return run(async () => {
    try {
      if (edit.kind === 'tag' || edit.kind === 'untag') {
        for (const [identityId, faceIds] of groupBy(edit.previous, (p) => p.identityId)) {
          if (identityId === null) await api.call('faces/untag', { faceIds });
          else await api.call('faces/tag', { faceIds, identityId });
        }
      } else {
        for (const [mark, faceIds] of groupBy(edit.previous, (p) => p.mark)) {
          if (mark === null) await api.call('faces/unmark', { faceIds });
          else await api.call('faces/mark', { faceIds, mark });
        }
      }
    } catch (error) {
      edits.undoStack.push(edit);
      throw error;
    }
    await forgetEmptyNewPerson(edit);
    edits.version++;
    void loadPeople();
    void refreshStats();
    return edit;
  });
}

/** Ctrl+Z in a view: undoes the last change and says what happened, or why it could not. */
export async function undoAndTell(): Promise<void> {
  try {
    const undone = await undoLast();
    if (undone) notify('info', t('faces.undone', { n: undone.faces }, undone.faces));
  } catch (error) {
    notifyError(t('faces.error.undo'), error);
  }
}
