#!/usr/bin/env node
// `npm start`: fetch Electron's binary if the install skipped it, build better-sqlite3 for Electron's
// ABI (sharp and face-api need no rebuild), build the app and launch it. Needs internet the first time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Electron's own download and rebuild tools (@electron/get 5, @electron/rebuild 4) need Node 22.12+.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm start needs Node.js 22.12 or newer for Electron's tooling (this is ${process.version}); the CLI and tests run on 20.19+.`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
// Records which runtime the native module was last built for, so switching costs one rebuild.
const stamp = join(root, 'node_modules', '.facet-native-abi');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`npm start: ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

// npm 11 skips Electron's install script (it downloads the binary); run it once here.
if (!existsSync(join(electronDir, 'path.txt'))) run(process.execPath, [join(electronDir, 'install.js')]);

const wanted = `electron-${electronVersion}`;
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
  run('npx', ['--no-install', 'electron-rebuild', '--force', '--only', 'better-sqlite3', '--version', electronVersion]);
  writeFileSync(stamp, wanted);
}

run('npx', ['--no-install', 'electron-vite', 'build']);
const electron = require('electron');
const app = spawnSync(electron, [root], { stdio: 'inherit' });
console.error('The native catalog module is now built for Electron; `npm run native:node` rebuilds it for the CLI and tests.');
process.exit(app.status ?? 0);
