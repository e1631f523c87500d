// The real `facet` command: serve on a port in use says so in one line, and --workers beyond the machine is lowered with a note.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, runFacet } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

describe('facet serve', () => {
  it('on a port in use prints one line naming the port and what to do, and exits 1', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const run = await runFacet(['serve', '--port', String(port)], { dataDir: tempDir('facet-serve-data-') });
      expectUsageError(
        run,
        new RegExp(
          `^facet: port ${port} is already in use \\(another facet serve\\?\\): stop that program, or choose another port with --port P \\(--port 0 takes any free one\\)\\n$`,
        ),
      );
    } finally {
      busy.close();
    }
  });
});

describe('facet scan --workers', () => {
  it('lowers a request beyond the cores to what the machine runs, saying so', async () => {
    const photos = join(tempDir('facet-workers-'), 'photos');
    mkdirSync(photos);
    const run = await runFacet(['scan', photos, '--workers', '64', '--json'], { dataDir: tempDir('facet-workers-data-') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^facet: --workers 64 lowered to \d+: (this machine has \d+ cores|[\d.]+ GB of free memory holds \d+ \(about 0\.5 GB each\))\n/);
    expect(JSON.parse(run.stdout).state).toBe('done');
  });
});
