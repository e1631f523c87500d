#!/usr/bin/env node
// Runs one benchmark from test/bench/<name>.ts (TypeScript through tsx) and lets it print JSON.
import { register } from 'tsx/esm/api';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = fileURLToPath(new URL('../test/bench/', import.meta.url));
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(1);
}
const file = `${benchDir}${name}.ts`;
if (!existsSync(file)) process.exit(1);
register();
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
