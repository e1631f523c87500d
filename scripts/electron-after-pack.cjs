// electron-builder afterPack hook: flips the packaged Electron binary's fuses, turning off what Facet never uses and an attacker could.
// CommonJS because electron-builder require()s its hooks; the package itself is an ES module.
const { join } = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuses, by name (see https://www.electronjs.org/docs/latest/tutorial/fuses). */
const FUSES = {
  // No ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect: the binary cannot be turned into a plain Node with the app's rights.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the signed app.asar is loaded, and (macOS, Windows) its header is checked against the hash built in.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Facet sets no cookies; should anything ever store one, it is encrypted with the OS's keys.
  [FuseV1Options.EnableCookieEncryption]: true,
  // The window loads from app://, so file:// needs none of its old extra rights.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The packaged executable that carries the fuse wire, as electron-builder names it per platform. */
function electronBinary({ appOutDir, electronPlatformName, packager }) {
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

function fuseConfig(electronPlatformName, archName) {
  // Flipping fuses breaks an Apple Silicon binary's ad-hoc signature; re-sign it so it still starts unsigned.
  return { version: FuseVersion.V1, resetAdHocDarwinSignature: electronPlatformName === 'darwin' && archName === 'arm64', ...FUSES };
}

exports.electronBinary = electronBinary;
exports.fuseConfig = fuseConfig;
exports.default = async function afterPack(context) {
  // context.arch is electron-builder's Arch enum; its name is what fuseConfig compares.
  const { Arch } = require('electron-builder');
  await flipFuses(electronBinary(context), fuseConfig(context.electronPlatformName, Arch[context.arch]));
};
