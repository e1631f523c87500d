// Finds every face in one photo with its box, 68 landmarks, descriptor and quality fields.
import type { FaceLandmarks68 } from '@vladmandic/face-api';
import sharp from 'sharp';
import type { Detector } from '../../shared/contract.ts';
import { estimateRoll, estimateYaw, fitResidual } from '../../core/geometry.ts';
import { REFERENCE_PRE_SHAPE } from '../../core/reference-shape.ts';
import type { AnalysedFace, Box } from '../catalog/catalog.ts';
import { decodeImage, DEFAULT_DECODE_LIMITS, type DecodedImage, type DecodeLimits, type ImageSource } from './decode.ts';
import type { FaceModels } from './face-models.ts';

export interface AnalysisOptions {
  detector: Detector;
  minScore: number;
  limits?: DecodeLimits;
}

export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  descriptor: number;
}

export interface PhotoResult {
  width: number;
  height: number;
  faces: AnalysedFace[];
  timings: StageTimings;
}

/**
 * SSD misses faces that fill most of the frame (tight crops, ID photos). When a photo has no
 * face, it is tried again on a copy with a neutral border of these shares of its size on each
 * side; measured on LFW, ORL and the TV-cast crops this finds nearly all of them, where
 * upscaling finds none.
 */
export const PADDING_RETRIES = [0.5, 1] as const;
const NEUTRAL_GREY = 128;

interface Canvas {
  data: Uint8Array;
  width: number;
  height: number;
  /** Where the photo's top-left corner sits on the canvas, and canvas pixels per photo pixel. */
  dx: number;
  dy: number;
  sx: number;
  sy: number;
}

/**
 * The padded copy is never larger than `maxSide`: a big photo is scaled down inside it. A face
 * that fills the frame stays far above the detector's input size, and a large photo with no face
 * does not cost a tensor several times its size (a 2048-pixel photo padded by 1 was a 6144² int32
 * tensor: over 1 GB in the worker, kept by the WASM heap).
 */
async function padImage(image: DecodedImage, share: number, maxSide: number): Promise<Canvas> {
  const fit = Math.min(1, maxSide / (Math.max(image.width, image.height) * (1 + 2 * share)));
  let pixels: Uint8Array = image.data;
  let w = image.width;
  let h = image.height;
  if (fit < 1) {
    w = Math.max(1, Math.round(image.width * fit));
    h = Math.max(1, Math.round(image.height * fit));
    pixels = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(w, h, { fit: 'fill' })
      .raw()
      .toBuffer();
  }
  const dx = Math.round(w * share);
  const dy = Math.round(h * share);
  const width = w + 2 * dx;
  const height = h + 2 * dy;
  const data = new Uint8Array(width * height * 3).fill(NEUTRAL_GREY);
  const rowBytes = w * 3;
  for (let y = 0; y < h; y++) {
    data.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), ((y + dy) * width + dx) * 3);
  }
  return { data, width, height, dx, dy, sx: w / image.width, sy: h / image.height };
}

function l2Normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return vector.map((v) => v / norm);
}

type FaceApiTensor = Parameters<FaceModels['faceapi']['extractFaceTensors']>[0];
type Detection = Parameters<FaceModels['faceapi']['extractFaceTensors']>[1][number];

/**
 * The 68 landmarks, descriptor and pose measures of the faces at `detections` on `input` (the
 * canvas), in photo coordinates: shared by the detector's faces and the boxes the user draws.
 */
async function describeDetections(
  models: FaceModels,
  input: FaceApiTensor,
  detections: InstanceType<FaceModels['faceapi']['FaceDetection']>[],
  image: DecodedImage,
  canvas: Canvas,
  padding: number,
  timings: StageTimings,
): Promise<AnalysedFace[]> {
  const { faceapi } = models;
  let start = performance.now();
  const crops = await faceapi.extractFaceTensors(input, detections);
  const rawLandmarks = await Promise.all(crops.map((crop) => faceapi.nets.faceLandmark68Net.detectLandmarks(crop)));
  crops.forEach((crop) => crop.dispose());
  const withLandmarks = detections.map((detection, i) =>
    faceapi.extendWithFaceLandmarks(faceapi.extendWithFaceDetection({}, detection), rawLandmarks[i] as FaceLandmarks68),
  );
  timings.landmarks += performance.now() - start;

  start = performance.now();
  const aligned: Detection[] = withLandmarks.map((face) => face.landmarks.align(null, { useDlibAlignment: true }));
  const alignedCrops = await faceapi.extractFaceTensors(input, aligned);
  const descriptors: Float32Array[] = [];
  for (const crop of alignedCrops) {
    descriptors.push((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crop)) as Float32Array);
    crop.dispose();
  }
  timings.descriptor += performance.now() - start;

  const toPhoto = (x: number, y: number): [number, number] => [
    ((x - canvas.dx) / canvas.sx) * image.scale,
    ((y - canvas.dy) / canvas.sy) * image.scale,
  ];
  return withLandmarks.map((face, i): AnalysedFace => {
    const box = face.detection.box;
    const [x0, y0] = toPhoto(box.x, box.y);
    const [x1, y1] = toPhoto(box.x + box.width, box.y + box.height);
    const cx0 = Math.max(0, x0);
    const cy0 = Math.max(0, y0);
    const landmarks = new Float32Array(136);
    face.landmarks.positions.forEach((p, j) => {
      const [x, y] = toPhoto(p.x, p.y);
      landmarks[2 * j] = x;
      landmarks[2 * j + 1] = y;
    });
    return {
      box: { x: cx0, y: cy0, w: Math.min(image.originalWidth, x1) - cx0, h: Math.min(image.originalHeight, y1) - cy0 },
      score: face.detection.score,
      landmarks,
      descriptor: l2Normalise(descriptors[i]),
      yaw: estimateYaw(landmarks),
      roll: estimateRoll(landmarks),
      fitResidual: fitResidual(landmarks, REFERENCE_PRE_SHAPE),
      padding,
    };
  });
}

/** The photo itself as the canvas: no border, no scaling beyond the decode's. */
function unpadded(image: DecodedImage): Canvas {
  return { data: image.data, width: image.width, height: image.height, dx: 0, dy: 0, sx: 1, sy: 1 };
}

export async function analysePhoto(models: FaceModels, source: ImageSource, options: AnalysisOptions): Promise<PhotoResult> {
  const { faceapi } = models;
  const tf = faceapi.tf;
  const timings: StageTimings = { decode: 0, detect: 0, landmarks: 0, descriptor: 0 };
  let start = performance.now();
  const limits = options.limits ?? DEFAULT_DECODE_LIMITS;
  const image = await decodeImage(source, limits);
  timings.decode = performance.now() - start;

  const detectorOptions =
    options.detector === 'tiny'
      ? new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: options.minScore })
      : new faceapi.SsdMobilenetv1Options({ minConfidence: options.minScore });

  const attempts = [0, ...PADDING_RETRIES];
  for (const padding of attempts) {
    const canvas = padding === 0 ? unpadded(image) : await padImage(image, padding, limits.maxSide);
    const input = tf.tensor3d(canvas.data, [canvas.height, canvas.width, 3], 'int32');
    try {
      start = performance.now();
      const detections = await faceapi.detectAllFaces(input as never, detectorOptions);
      timings.detect += performance.now() - start;
      if (detections.length === 0) continue;
      const faces = await describeDetections(models, input as never, detections, image, canvas, padding, timings);
      return { width: image.originalWidth, height: image.originalHeight, faces, timings };
    } finally {
      input.dispose();
    }
  }
  return { width: image.originalWidth, height: image.originalHeight, faces: [], timings };
}

/**
 * A face the user drew: its landmarks and descriptor found inside `box` (photo pixels) as if the
 * detector had put it there with full confidence (score 1).
 */
export async function analyseBox(models: FaceModels, file: string, box: Box, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<AnalysedFace> {
  const { faceapi } = models;
  const image = await decodeImage(file, limits);
  const input = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    // FaceDetection takes its box relative to the image it was found in (the decoded copy).
    const relative = new faceapi.Rect(
      box.x / image.originalWidth,
      box.y / image.originalHeight,
      box.w / image.originalWidth,
      box.h / image.originalHeight,
    );
    const detection = new faceapi.FaceDetection(1, relative, { width: image.width, height: image.height });
    const timings: StageTimings = { decode: 0, detect: 0, landmarks: 0, descriptor: 0 };
    const [face] = await describeDetections(models, input as never, [detection], image, unpadded(image), 0, timings);
    return face;
  } finally {
    input.dispose();
  }
}
