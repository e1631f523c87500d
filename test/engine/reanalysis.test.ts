// The re-analysis plan on its own: which old faces keep their ids, which are kept as missed, which go, and faces the user drew.
import { describe, expect, it } from 'vitest';
import { planReanalysis, type StoredFace } from '../../src/engine/reanalysis.ts';

const box = (x: number) => ({ x, y: 0, w: 100, h: 100 });
const old = (id: number, x: number, source: StoredFace['source'] = 'detector', edited = false): StoredFace => ({ id, box: box(x), source, edited });

describe('planReanalysis', () => {
  it('matches found faces to old ones by overlap, in order, each old face once', () => {
    expect(planReanalysis([old(1, 0), old(2, 500)], [box(505), box(3), box(8)])).toEqual({
      update: [
        { found: 0, id: 2 },
        { found: 1, id: 1 },
      ],
      insert: [2],
      missed: [],
      delete: [],
    });
  });

  it('keeps as missed the old faces the user said something about, deletes the others, and leaves drawn faces alone', () => {
    const plan = planReanalysis([old(1, 0, 'detector', true), old(2, 200), old(3, 400, 'user'), old(4, 600, 'user', true)], [box(402), box(900)]);
    expect(plan).toEqual({ update: [], insert: [1], missed: [1], delete: [2] });
  });
});
