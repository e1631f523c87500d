// The analysis pool's size: never more workers than cores, nor than free memory holds at 0.5 GB each, and at least one.
import { describe, expect, it } from 'vitest';
import { MEMORY_PER_WORKER, thisMachine, workerLimit } from '../../src/engine/worker-limit.ts';

const GB = 1024 ** 3;

describe('workerLimit', () => {
  it('keeps a request the machine can run', () => {
    expect(workerLimit(2, { cores: 8, freeBytes: 16 * GB })).toEqual({ workers: 2 });
    expect(workerLimit(8, { cores: 8, freeBytes: 16 * GB })).toEqual({ workers: 8 });
  });

  it('lowers a request to the cores, saying so', () => {
    expect(workerLimit(64, { cores: 2, freeBytes: 16 * GB })).toEqual({ workers: 2, note: '--workers 64 lowered to 2: this machine has 2 cores' });
  });

  it('lowers a request to what free memory holds, saying so', () => {
    expect(workerLimit(8, { cores: 8, freeBytes: 1.6 * GB })).toEqual({
      workers: 3,
      note: '--workers 8 lowered to 3: 1.6 GB of free memory holds 3 (about 0.5 GB each)',
    });
  });

  it('always leaves one worker, even with almost no free memory', () => {
    expect(workerLimit(4, { cores: 4, freeBytes: 100 * 1024 * 1024 })).toEqual({
      workers: 1,
      note: '--workers 4 lowered to 1: 0.1 GB of free memory holds 1 (about 0.5 GB each)',
    });
    expect(workerLimit(undefined, { cores: 4, freeBytes: 0 })).toEqual({ workers: 1 });
  });

  it('gives the machine its most by default, quietly', () => {
    expect(workerLimit(undefined, { cores: 4, freeBytes: 64 * GB })).toEqual({ workers: 4 });
    expect(workerLimit(undefined, { cores: 16, freeBytes: 3 * MEMORY_PER_WORKER })).toEqual({ workers: 3 });
  });

  it('reads this machine', () => {
    const machine = thisMachine();
    expect(machine.cores).toBeGreaterThanOrEqual(1);
    expect(machine.freeBytes).toBeGreaterThan(0);
  });
});
