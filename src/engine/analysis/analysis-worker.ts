// A worker thread that owns one copy of the face models and analyses the photos the pool sends it.
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { analyseBox, analysePhoto } from './analyse-photo.ts';
import type { AnalysedFace } from './analysed-face.ts';
import { loadFaceModels } from './face-models.ts';
import { describeFsError } from '../library/walk.ts';
import type { WorkerReply, WorkerRequest } from './pool.ts';

if (!parentPort) throw new Error('analysis-worker runs only as a worker thread');
const port = parentPort;
// One worker per core already: libvips threads of its own would only contend with the others.
sharp.concurrency(1);

const send = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
/** The faces' arrays move to the main thread instead of being copied. */
const buffers = (faces: AnalysedFace[]) => faces.flatMap((f) => [f.landmarks.buffer, f.descriptor.buffer]) as ArrayBuffer[];

try {
  const models = await loadFaceModels();
  send({ type: 'ready', backend: models.backend });
  port.on('message', async (request: WorkerRequest) => {
    try {
      if (request.kind === 'box') {
        const face = await analyseBox(models, request.file, request.box);
        send({ type: 'result', id: request.id, ok: true, result: face }, buffers([face]));
      } else {
        const result = await analysePhoto(models, request.kind === 'bytes' ? request.bytes : request.file, request.options);
        send({ type: 'result', id: request.id, ok: true, result }, buffers(result.faces));
      }
    } catch (error) {
      send({ type: 'result', id: request.id, ok: false, reason: describeFsError(error) });
    }
  });
} catch (error) {
  send({ type: 'fatal', message: `face models failed to load: ${(error as Error).message}` });
}
