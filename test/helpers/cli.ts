// Runs the real `facet` command (node bin/facet.js) as a child process and collects what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const facetBin = fileURLToPath(new URL('../../bin/facet.js', import.meta.url));

export interface FacetRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface FacetProcess {
  child: ChildProcess;
  /** Output so far; complete once `done` resolves. */
  output: { stdout: string; stderr: string };
  done: Promise<FacetRun>;
}

/** Starts `facet ...args`; `dataDir` becomes FACET_DATA_DIR so a default catalog never lands in the user's home. */
export function startFacet(args: string[], options: { dataDir: string; env?: Record<string, string> }): FacetProcess {
  const child = spawn(process.execPath, [facetBin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, FACET_DATA_DIR: options.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const done = new Promise<FacetRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...output }));
  });
  return { child, output, done };
}

export function runFacet(args: string[], options: { dataDir: string; env?: Record<string, string> }): Promise<FacetRun> {
  return startFacet(args, options).done;
}

/** Bad usage ends with exit code 1 and a one-paragraph message, never a stack trace. */
export function expectUsageError(run: FacetRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.stdout).toBe('');
}
