// The packaging hook's fuses and which binary it flips them in, per platform (packaging itself needs Electron's download).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const hook = require('../../scripts/electron-after-pack.cjs') as {
  electronBinary(context: { appOutDir: string; electronPlatformName: string; packager: object }): string;
  fuseConfig(platform: string, arch: string): Record<string | number, unknown>;
  default: unknown;
};

describe('electron-after-pack', () => {
  it('turns off running as Node, NODE_OPTIONS and --inspect, and loads only an integrity-checked app.asar', () => {
    expect(hook.fuseConfig('linux', 'x64')).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    expect(hook.fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
    expect(hook.fuseConfig('darwin', 'x64').resetAdHocDarwinSignature).toBe(false);
    expect(typeof hook.default).toBe('function');
  });

  it('finds the packaged executable on each platform', () => {
    const packager = { appInfo: { productFilename: 'Facet' }, executableName: 'facet' };
    const at = (electronPlatformName: string) => hook.electronBinary({ appOutDir: '/out/x', electronPlatformName, packager });
    expect(at('linux')).toBe(join('/out/x', 'facet'));
    expect(at('darwin')).toBe(join('/out/x', 'Facet.app'));
    expect(at('win32')).toBe(join('/out/x', 'Facet.exe'));
  });
});
