// The edits store over a stand-in bridge: undo puts each face back as it was, takes away a person that only the undone
// naming made, keeps a change whose undo failed, and tells the user in their language; the people it keeps recent.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Identity } from '../../src/shared/contract.ts';
import { installFakeBridge, type FakeBridge } from './fake-bridge.ts';

type EditsStore = typeof import('../../src/renderer/src/stores/edits.ts');
type PeopleStore = typeof import('../../src/renderer/src/stores/people.ts');

let bridge: FakeBridge;
let edits: EditsStore;
let people: PeopleStore;
let toasts: typeof import('../../src/renderer/src/stores/toasts.ts').toasts;
/** The people the stand-in engine knows. */
let known: Identity[];

beforeEach(async () => {
  vi.resetModules();
  bridge = installFakeBridge();
  known = [
    { id: 1, name: 'Amy', faces: 3, coverFaceId: 10 },
    { id: 2, name: 'Penny', faces: 2, coverFaceId: 20 },
  ];
  bridge.answer('identities/list', () => known);
  edits = await import('../../src/renderer/src/stores/edits.ts');
  people = await import('../../src/renderer/src/stores/people.ts');
  ({ toasts } = await import('../../src/renderer/src/stores/toasts.ts'));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The edit calls that reached the engine (not the list reloads that follow each change). */
const editCalls = () => bridge.calls.filter((c) => c.method !== 'identities/list');

describe('undo', () => {
  it('puts every face of the last change back: one call per earlier person, and an untag where there was none', async () => {
    bridge.answer('faces/tag', () => ({
      tagged: 4,
      previous: [
        { faceId: 11, identityId: null, mark: null },
        { faceId: 12, identityId: 2, mark: null },
        { faceId: 13, identityId: 2, mark: null },
        { faceId: 14, identityId: 1, mark: null },
      ],
    }));
    bridge.answer('faces/untag', () => ({ untagged: 1, previous: [] }));
    await edits.tagFaces([11, 12, 13, 14], 1);
    expect(edits.edits.version).toBe(1);
    bridge.calls.length = 0;
    bridge.answer('faces/tag', () => ({ tagged: 0, previous: [] }));

    expect(await edits.undoLast()).toMatchObject({ kind: 'tag', faces: 4 });
    expect(editCalls()).toEqual([
      { method: 'faces/untag', params: { faceIds: [11] } },
      { method: 'faces/tag', params: { faceIds: [12, 13], identityId: 2 } },
      { method: 'faces/tag', params: { faceIds: [14], identityId: 1 } },
    ]);
    expect(edits.edits.version).toBe(2);
    expect(edits.edits.undoStack).toEqual([]);
    expect(await edits.undoLast()).toBeNull();
  });

  it('puts marks back the same way', async () => {
    bridge.answer('faces/mark', () => ({
      marked: 2,
      previous: [
        { faceId: 21, identityId: 1, mark: null },
        { faceId: 22, identityId: null, mark: 'ignore' },
      ],
    }));
    bridge.answer('faces/unmark', () => ({ unmarked: 1, previous: [] }));
    await edits.markFaces([21, 22], 'not-a-face');
    bridge.calls.length = 0;

    await edits.undoLast();
    expect(editCalls()).toEqual([
      { method: 'faces/unmark', params: { faceIds: [21] } },
      { method: 'faces/mark', params: { faceIds: [22], mark: 'ignore' } },
    ]);
  });

  it('takes away a person made by naming faces when the undo leaves them empty, and never a person who was there', async () => {
    bridge.answer('identities/create', ({ name }) => {
      const created = { id: 3, name, faces: 0, coverFaceId: null };
      known = [...known, created];
      return created;
    });
    bridge.answer('identities/delete', ({ id }) => (known = known.filter((p) => p.id !== id)));
    bridge.answer('faces/tag', ({ faceIds }) => ({ tagged: faceIds.length, previous: faceIds.map((faceId) => ({ faceId, identityId: null, mark: null })) }));
    bridge.answer('faces/untag', ({ faceIds }) => ({ untagged: faceIds.length, previous: [] }));

    const zoe = await people.ensurePerson('  Zoe ');
    expect(bridge.paramsOf('identities/create')).toEqual([{ name: 'Zoe' }]);
    await edits.tagFaces([31], zoe.id);
    await edits.tagFaces([33], zoe.id);
    const zoeHas = (faces: number) => (known = known.map((p) => (p.id === zoe.id ? { ...p, faces } : p)));
    // Undoing the second naming leaves her the first face: she stays.
    zoeHas(1);
    await edits.undoLast();
    expect(bridge.paramsOf('identities/delete')).toEqual([]);
    zoeHas(0);
    await edits.undoLast();
    expect(bridge.paramsOf('identities/delete')).toEqual([{ id: 3 }]);

    // Penny existed before: undoing her only tag leaves her, empty, where she was.
    known = known.map((p) => (p.id === 2 ? { ...p, faces: 0 } : p));
    expect(await people.ensurePerson('penny')).toMatchObject({ id: 2 });
    await edits.tagFaces([32], 2);
    await edits.undoLast();
    expect(bridge.paramsOf('identities/delete')).toEqual([{ id: 3 }]);
  });

  it("keeps a change whose undo failed, to try again, and says so in the user's language", async () => {
    bridge.answer('faces/untag', () => ({ untagged: 3, previous: [1, 2, 3].map((faceId) => ({ faceId, identityId: 2, mark: null })) }));
    await edits.untagFaces([1, 2, 3]);
    // No answer to faces/tag: the engine refuses.
    await edits.undoAndTell();
    expect(edits.edits.undoStack).toHaveLength(1);
    expect(toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Could not undo' });

    bridge.answer('faces/tag', () => ({ tagged: 3, previous: [] }));
    await edits.undoAndTell();
    expect(edits.edits.undoStack).toHaveLength(0);
    expect(toasts.at(-1)).toMatchObject({ kind: 'info', title: 'Undid the change to 3 faces' });
  });
});

describe('people', () => {
  it('keeps the people last tagged with first, forgets those that are gone, and finds names by their start before their middle', async () => {
    bridge.answer('faces/tag', () => ({ tagged: 1, previous: [] }));
    known = [...known, { id: 5, name: 'Bernadette', faces: 1, coverFaceId: 50 }];
    await people.loadPeople();
    await edits.tagFaces([1], 2);
    await edits.tagFaces([2], 1);
    await edits.tagFaces([3], 5);
    expect(people.recentPeople().map((p) => p.name)).toEqual(['Bernadette', 'Amy', 'Penny']);

    known = known.filter((p) => p.id !== 1);
    await people.loadPeople();
    expect(people.recentPeople().map((p) => p.name)).toEqual(['Bernadette', 'Penny']);
    // Digits 1–9 tag with the recent people: Amy's id must not hold a place.
    expect(people.people.recent).toEqual([5, 2]);
    expect(people.matchPeople('')).toEqual(people.recentPeople());
    expect(people.matchPeople('EN').map((p) => p.name)).toEqual(['Penny']);
    known = [...known, { id: 6, name: 'Reuben', faces: 0, coverFaceId: null }, { id: 7, name: 'Ben', faces: 0, coverFaceId: null }];
    await people.loadPeople();
    expect(people.matchPeople('ben').map((p) => p.name)).toEqual(['Ben', 'Reuben']);
  });
});
