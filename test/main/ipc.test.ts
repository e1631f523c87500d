// The IPC gate: only our own renderer may call, and every payload must fit the contract (parseCall, shared with the engine).
import { describe, expect, it } from 'vitest';
import { ContractError, parseCall } from '../../src/shared/contract.ts';
import { isTrustedSender } from '../../src/main/ipc.ts';

describe('isTrustedSender', () => {
  const built = 'file:///opt/Facet/resources/app/out/renderer/index.html';
  const dev = 'http://localhost:5173/';

  it('accepts the built renderer file and the dev server', () => {
    expect(isTrustedSender(built, built)).toBe(true);
    expect(isTrustedSender(`${built}#/library`, built)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/faces', dev)).toBe(true);
  });

  it('refuses other files, origins, missing and malformed senders', () => {
    expect(isTrustedSender('file:///tmp/evil.html', built)).toBe(false);
    expect(isTrustedSender('https://example.com/', built)).toBe(false);
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedSender(built, dev)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
    expect(isTrustedSender('', built)).toBe(false);
    expect(isTrustedSender('not a url', built)).toBe(false);
  });
});

describe('parseCall', () => {
  it('passes a valid call with its defaults filled in', () => {
    expect(parseCall('library/scan', {})).toEqual({
      method: 'library/scan',
      params: { detector: 'ssd', minScore: 0.5, reanalyse: false },
    });
  });

  it('refuses unknown methods, prototype keys and malformed params, naming the field', () => {
    expect(() => parseCall('library/delete-everything', {})).toThrow(ContractError);
    expect(() => parseCall('__proto__', {})).toThrow(/unknown method/);
    expect(() => parseCall(42, {})).toThrow(/unknown method/);
    expect(() => parseCall('library/scan', { detector: 'yolo' })).toThrow(/detector/);
    expect(() => parseCall('library/scan', { minScore: 2 })).toThrow(/minScore/);
    expect(() => parseCall('library/scan', { extra: true })).toThrow(ContractError);
    expect(() => parseCall('faces/tag', { faceIds: ['1'], identityId: 1 })).toThrow(/faceIds/);
    try {
      parseCall('runs/create', { k: 0 });
      expect.unreachable();
    } catch (error) {
      expect((error as ContractError).field).toBe('k');
    }
  });
});
