// Tests for identity label encoding.
import { describe, expect, it } from 'vitest';
import { encodeLabels } from '../../src/core/labels.ts';

describe('encodeLabels', () => {
  it('codes names and ids in order of appearance and marks untagged faces −1', () => {
    const { codes, names } = encodeLabels(['bob', null, 'ann', 'bob', -1, undefined, 0, 7]);
    expect(Array.from(codes)).toEqual([0, -1, 1, 0, -1, -1, 2, 3]);
    // 0 is an identity id like any other; only −1 means untagged.
    expect(names).toEqual(['bob', 'ann', '0', '7']);
  });

  it('treats the number 5 and the string "5" as the same identity', () => {
    expect(Array.from(encodeLabels([5, '5']).codes)).toEqual([0, 0]);
  });
});
