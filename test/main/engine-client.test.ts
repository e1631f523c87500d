// The engine host's restarts: backing off 0.5 s, 1 s, 2 s…, and giving up after five in two minutes, with the reason in every later call.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../src/shared/contract.ts';

class FakeHost extends EventEmitter {
  posted: unknown[] = [];
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.emit('exit', 0);
  }
}
const hosts: FakeHost[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: () => {
      const host = new FakeHost();
      hosts.push(host);
      return host;
    },
  },
}));

const { EngineClient, planRestart, RESTART_POLICY } = await import('../../src/main/engine-client.ts');

describe('planRestart', () => {
  it('doubles the wait with each crash in the window and gives up after the fifth restart', () => {
    let crashes: number[] = [];
    const delays: (number | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const plan = planRestart(crashes, 1_000_000 + i * 10_000);
      crashes = plan.crashes;
      delays.push(plan.delayMs);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, null]);
  });

  it('forgets crashes older than the window', () => {
    const now = 10 * RESTART_POLICY.windowMs;
    const old = [now - RESTART_POLICY.windowMs - 1, now - RESTART_POLICY.windowMs];
    expect(planRestart(old, now)).toEqual({ crashes: [now], delayMs: 500 });
    const recent = [now - 4000, now - 3000, now - 2000, now - 1000];
    expect(planRestart([...old, ...recent], now)).toEqual({ crashes: [...recent, now], delayMs: 8000 });
    expect(planRestart([...recent, now - 500], now).delayMs).toBeNull();
  });
});

describe('EngineClient restarts', () => {
  let events: EngineEvent[];
  let client: InstanceType<typeof EngineClient>;

  beforeEach(() => {
    vi.useFakeTimers();
    hosts.length = 0;
    events = [];
    client = new EngineClient('/app/engine-host.js', {}, (event) => events.push(event));
    client.start();
  });
  afterEach(() => vi.useRealTimers());

  it('restarts after the backoff, fails pending calls at once, and stops after the limit saying why', async () => {
    const pending = client.call('library/stats', {});
    hosts[0].emit('exit', 1);
    await expect(pending).rejects.toThrow(/exit code 1\); it is restarting/);
    expect(events).toEqual([{ type: 'engine/crashed', code: 1 }]);
    await expect(client.call('library/stats', {})).rejects.toThrow(/restarting; try again/);
    vi.advanceTimersByTime(499);
    expect(hosts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(hosts).toHaveLength(2);

    for (const wait of [1000, 2000, 4000, 8000]) {
      hosts.at(-1)!.emit('exit', 134);
      vi.advanceTimersByTime(wait - 1);
      const count = hosts.length;
      vi.advanceTimersByTime(1);
      expect(hosts).toHaveLength(count + 1);
    }
    hosts.at(-1)!.emit('exit', 134);
    vi.advanceTimersByTime(RESTART_POLICY.windowMs);
    expect(hosts).toHaveLength(6);
    expect(events.at(-1)).toEqual({ type: 'engine/crashed', code: 134, gaveUp: true });
    await expect(client.call('library/stats', {})).rejects.toThrow(/stopped 6 times in 2 minutes \(last exit code 134\) and was not restarted; restart Facet/);
  });

  it('does not restart after stop(), even with a restart already planned', () => {
    hosts[0].emit('exit', 1);
    client.stop();
    vi.advanceTimersByTime(10_000);
    expect(hosts).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('relays replies to their calls', async () => {
    const result = client.call('library/current', {});
    const { id } = hosts[0].posted[0] as { id: number };
    hosts[0].emit('message', { type: 'reply', id, ok: true, result: null });
    await expect(result).resolves.toBeNull();
  });
});
