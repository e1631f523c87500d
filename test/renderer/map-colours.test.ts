// The map's colourings: neutral points drawn first, a person's colour kept when others come and go, gates and yaw in their legend.
import { describe, expect, it } from 'vitest';
import type { Projection } from '../../src/shared/contract.ts';
import { NEUTRAL, clusterColour, paintMap, yawColour } from '../../src/renderer/src/views/map/map-colours.ts';

/** Four faces on a line at x = 0, 1, 2, 3. */
function projection(overrides: Partial<Projection> = {}): Projection {
  return {
    runId: 1,
    method: 'pca',
    sample: null,
    faceIds: [11, 12, 13, 14],
    coords: [0, 0, 1, 10, 2, 20, 3, 30],
    clusters: [0, 1, 1, 2],
    identityIds: [null, 7, null, 5],
    yaw: [0, -30, 30, null],
    gates: [null, 'yaw', null, 'size'],
    ...overrides,
  };
}

describe('paintMap', () => {
  it('colours by cluster in the face order, with a legend entry and count per cluster', () => {
    const paint = paintMap(projection(), 'cluster');
    expect([...paint.order]).toEqual([0, 1, 2, 3]);
    expect([...paint.x]).toEqual([0, 1, 2, 3]);
    expect([...paint.y]).toEqual([0, 10, 20, 30]);
    expect(paint.colours).toEqual([clusterColour(0), clusterColour(1), clusterColour(1), clusterColour(2)]);
    expect(paint.legend.map((item) => [item.kind === 'cluster' && item.cluster, item.count])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
  });

  it('draws untagged faces first and grey, so the tagged ones sit on top', () => {
    const paint = paintMap(projection(), 'person', [5, 7]);
    expect([...paint.order]).toEqual([0, 2, 1, 3]);
    expect([...paint.x]).toEqual([0, 2, 1, 3]);
    expect(paint.colours.slice(0, 2)).toEqual([NEUTRAL, NEUTRAL]);
    expect(paint.legend.at(-1)).toEqual({ kind: 'untagged', colour: NEUTRAL, count: 2 });
  });

  it('keeps a person’s colour when another person appears on the map', () => {
    const before = paintMap(projection(), 'person', [5, 7]);
    const after = paintMap(projection({ identityIds: [9, 7, null, 5] }), 'person', [5, 7, 9]);
    expect(after.colours[after.order.indexOf(1)]).toBe(before.colours[before.order.indexOf(1)]);
    expect(after.colours[after.order.indexOf(3)]).toBe(before.colours[before.order.indexOf(3)]);
  });

  it('lists passing faces and each gate that left faces out', () => {
    const paint = paintMap(projection(), 'quality');
    expect(paint.legend.map((item) => (item.kind === 'gate' ? item.gate : item.kind))).toEqual(['passed', 'size', 'yaw']);
    expect([...paint.order]).toEqual([0, 2, 1, 3]);
  });

  it('scales yaw to a round limit and greys faces without one', () => {
    const paint = paintMap(projection(), 'yaw');
    expect(paint.yawLimit).toBe(30);
    expect(paint.colours[0]).toBe(NEUTRAL);
    expect(paint.colours.slice(1)).toEqual([yawColour(0, 30), yawColour(-30, 30), yawColour(30, 30)]);
    expect(yawColour(-30, 30)).toBe('rgb(47,111,208)');
    expect(yawColour(90, 30)).toBe('rgb(217,98,43)');
    expect(paint.legend).toEqual([{ kind: 'unknownYaw', colour: NEUTRAL, count: 1 }]);
  });
});
