// An analysis worker that goes wrong on purpose: its URL's query says what each start does (?plan=die,fail,real&count=FILE).
// 'die' says it is ready and ends its thread on its first photo (a real worker death); 'fail' cannot load the models;
// 'real' is the real analysis worker. Starts are counted in the file `count`, and the last step repeats.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from '../../src/engine/analysis/pool.ts';

const query = new URL(import.meta.url).searchParams;
const plan = query.get('plan')!.split(',');
const counter = query.get('count')!;
const start = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
writeFileSync(counter, String(start + 1));
const step = plan[Math.min(start, plan.length - 1)];
const send = (reply: WorkerReply) => parentPort!.postMessage(reply);

if (step === 'real') {
  await import('../../src/engine/analysis/analysis-worker.ts');
} else if (step === 'fail') {
  send({ type: 'fatal', message: 'face models failed to load: out of memory (test)' });
} else {
  send({ type: 'ready', backend: 'scripted' });
  parentPort!.once('message', () => process.exit(70));
}
