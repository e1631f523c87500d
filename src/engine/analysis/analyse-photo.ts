// Finds every face in one photo with its box, 68 landmarks, descriptor and quality fields.
import type { FaceLandmarks68 } from '@vladmandic/face-api';
import sharp from 'sharp';
import type { Box, Detector } from '../../shared/contract.ts';
import { estimateRoll, estimateYaw, fitResidual } from '../../core/geometry.ts';
import { REFERENCE_PRE_SHAPE } from '../../core/reference-shape.ts';
import type { AnalysedFace } from './analysed-face.ts';
import { decodeImage, DEFAULT_DECODE_LIMITS, type DecodedImage, type DecodeLimits, type ImageSource } from './decode.ts';
import type { FaceModels } from './face-models.ts';
import { iou } from './boxes.ts';

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
const PADDING_RETRIES = [0.5, 1] as const;
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

/** The photo's pixels scaled by `factor` (< 1). */
async function scaledCopy(image: DecodedImage, factor: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width, height };
}

/**
 * The padded copy is never larger than `maxSide`: a big photo is scaled down inside it. A face
 * that fills the frame stays far above the detector's input size, and a large photo with no face
 * does not cost a tensor several times its size (a 2048-pixel photo padded by 1 was a 6144² int32
 * tensor: over 1 GB in the worker, kept by the WASM heap).
 */
async function padImage(image: DecodedImage, share: number, maxSide: number): Promise<Canvas> {
  const fit = Math.min(1, maxSide / (Math.max(image.width, image.height) * (1 + 2 * share)));
  const { data: pixels, width: w, height: h } = fit < 1 ? await scaledCopy(image, fit) : image;
  const dx = Math.round(w * share);
  const dy = Math.round(h * share);
  const width = w + 2 * dx;
  const height = h + 2 * dy;
  const data = onGrey({ data: pixels, width: w, height: h }, width, height, dx, dy);
  return { data, width, height, dx, dy, sx: w / image.width, sy: h / image.height };
}

/** A neutral grey canvas of width × height with the RGB pixels drawn at (dx, dy). */
function onGrey(pixels: { data: Uint8Array; width: number; height: number }, width: number, height: number, dx: number, dy: number): Uint8Array {
  const data = new Uint8Array(width * height * 3).fill(NEUTRAL_GREY);
  const rowBytes = pixels.width * 3;
  for (let y = 0; y < pixels.height; y++) data.set(pixels.data.subarray(y * rowBytes, (y + 1) * rowBytes), ((y + dy) * width + dx) * 3);
  return data;
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
  // Every face of the photo in one batch for each net: on photos of several faces, faster than one by one (README).
  const crops = await faceapi.extractFaceTensors(input, detections);
  const rawLandmarks = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crops as never)) as FaceLandmarks68[];
  crops.forEach((crop) => crop.dispose());
  const withLandmarks = detections.map((detection, i) => faceapi.extendWithFaceLandmarks(faceapi.extendWithFaceDetection({}, detection), rawLandmarks[i]));
  timings.landmarks += performance.now() - start;

  start = performance.now();
  const aligned: Detection[] = withLandmarks.map((face) => face.landmarks.align(null, { useDlibAlignment: true }));
  const alignedCrops = await faceapi.extractFaceTensors(input, aligned);
  const descriptors = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(alignedCrops as never)) as Float32Array[];
  alignedCrops.forEach((crop) => crop.dispose());
  timings.descriptor += performance.now() - start;

  const toPhoto = (x: number, y: number): [number, number] => [((x - canvas.dx) / canvas.sx) * image.scale, ((y - canvas.dy) / canvas.sy) * image.scale];
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

type FaceApiDetection = InstanceType<FaceModels['faceapi']['FaceDetection']>;

/** What detection settled on: the canvas its boxes are on (the photo, or a padded copy) and the boxes. */
interface Found {
  canvas: Canvas;
  detections: FaceApiDetection[];
  padding: number;
}

/**
 * The cascade's settings, measured on samples of lfw-dev, ORL, the TV cast, the group photos and
 * the photos without faces (see the README). The tiny detector sees faces well when they are a
 * quarter to a half of its input: 160 finds large faces, 320 the faces of portraits, 512 those of
 * group photos, which only photos this large can hold (416 lost 3 of 30 faces in the group photos;
 * 608 found no more than 512, and cost more on every large photo without a face).
 */
const CASCADE = {
  inputSizes: [160, 320],
  largePhotoSide: 500,
  largePhotoInputSizes: [160, 320, 512],
  /** Candidates at or above `sure` are faces; from `candidate` up, a face is looked for again on a zoomed crop, where it must reach the scan's minimum score. */
  candidate: 0.3,
  sure: 0.7,
  /** The zoomed crop: the candidate's box with this many box sides of context on each side, at this input size. */
  zoomContext: 1,
  zoomSide: 320,
  zoomInputSize: 160,
  /** Nothing found: the photo, scaled down to this side and padded by `PADDING_RETRIES[0]`, at these input sizes. */
  paddedSide: 320,
  paddedInputSizes: [160, 224],
} as const;

type FaceApiBox = FaceApiDetection['box'];
const boxIoU = (a: FaceApiBox, b: FaceApiBox) => iou({ x: a.x, y: a.y, w: a.width, h: a.height }, { x: b.x, y: b.y, w: b.width, h: b.height });

/** The strongest of overlapping detections (all on the same canvas), strongest first. */
function suppressOverlaps(detections: FaceApiDetection[]): FaceApiDetection[] {
  const kept: FaceApiDetection[] = [];
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => boxIoU(k.box, d.box) < 0.3)) kept.push(d);
  }
  return kept;
}

/**
 * Looks again at an unsure candidate on a crop around it, zoomed so the face is a third of the
 * tiny detector's input, with the tiny detector and then SSD; returns the face found there, on the
 * photo's canvas, or null.
 */
async function verifyByZoom(models: FaceModels, image: DecodedImage, candidate: FaceApiDetection, minScore: number): Promise<FaceApiDetection | null> {
  const { faceapi } = models;
  const box = candidate.box;
  const side = Math.max(box.width, box.height) * (1 + 2 * CASCADE.zoomContext);
  const left = Math.round(box.x + box.width / 2 - side / 2);
  const top = Math.round(box.y + box.height / 2 - side / 2);
  const regionSide = Math.max(1, Math.round(side));
  // The part of the crop inside the photo, scaled so the crop is at most zoomSide; grey beyond the photo's edges.
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(image.width, left + regionSide);
  const y1 = Math.min(image.height, top + regionSide);
  if (x1 <= x0 || y1 <= y0) return null;
  const scale = Math.min(1, CASCADE.zoomSide / regionSide);
  const outSide = Math.max(1, Math.round(regionSide * scale));
  const partWidth = Math.max(1, Math.round((x1 - x0) * scale));
  const partHeight = Math.max(1, Math.round((y1 - y0) * scale));
  const part = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .resize(partWidth, partHeight, { fit: 'fill' })
    .raw()
    .toBuffer();
  const dx = Math.min(outSide - partWidth, Math.round((x0 - left) * scale));
  const dy = Math.min(outSide - partHeight, Math.round((y0 - top) * scale));
  const data = onGrey({ data: part, width: partWidth, height: partHeight }, outSide, outSide, dx, dy);
  // Back to the photo's canvas: crop pixel (u, v) is photo pixel (x0 + (u - dx) / scale, y0 + (v - dy) / scale).
  const onPhoto = (d: FaceApiDetection) => {
    const x = x0 + (d.box.x - dx) / scale;
    const y = y0 + (d.box.y - dy) / scale;
    const rect = new faceapi.Rect(x / image.width, y / image.height, d.box.width / scale / image.width, d.box.height / scale / image.height);
    return new faceapi.FaceDetection(d.score, rect, { width: image.width, height: image.height });
  };
  const input = faceapi.tf.tensor3d(data, [outSide, outSide, 3], 'int32');
  try {
    // The tiny detector first; SSD, many times slower, only for a candidate the tiny one still doubts.
    for (const options of [
      new faceapi.TinyFaceDetectorOptions({ inputSize: CASCADE.zoomInputSize, scoreThreshold: minScore }),
      new faceapi.SsdMobilenetv1Options({ minConfidence: minScore }),
    ]) {
      const found = (await faceapi.detectAllFaces(input as never, options)).map(onPhoto);
      const match = found.filter((d) => boxIoU(d.box, box) > 0.3).sort((a, b) => b.score - a.score)[0];
      if (match) return match;
    }
    return null;
  } finally {
    input.dispose();
  }
}

/**
 * The default detector: the tiny detector at a few input sizes (each pass a fraction of one SSD
 * pass), unsure candidates looked at again zoomed in, and, when nothing is found, one padded retry
 * on a small canvas for faces that fill the frame.
 */
async function cascadeDetect(models: FaceModels, image: DecodedImage, input: FaceApiTensor, minScore: number): Promise<Found | null> {
  const { faceapi } = models;
  const sizes = Math.max(image.width, image.height) >= CASCADE.largePhotoSide ? CASCADE.largePhotoInputSizes : CASCADE.inputSizes;
  const candidates: FaceApiDetection[] = [];
  for (const inputSize of sizes) {
    const scoreThreshold = Math.min(CASCADE.candidate, minScore);
    candidates.push(...(await faceapi.detectAllFaces(input as never, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }))));
  }
  // A stricter minimum score than `sure` (--min-score 0.8) is one every face must reach, at first sight or on the second look.
  const sure = Math.max(CASCADE.sure, minScore);
  const faces: FaceApiDetection[] = [];
  for (const candidate of suppressOverlaps(candidates)) {
    const face = candidate.score >= sure ? candidate : await verifyByZoom(models, image, candidate, minScore);
    if (face) faces.push(face);
  }
  if (faces.length > 0) return { canvas: unpadded(image), detections: suppressOverlaps(faces), padding: 0 };

  const padding = PADDING_RETRIES[0];
  const canvas = await padImage(image, padding, CASCADE.paddedSide * (1 + 2 * padding));
  const padded = faceapi.tf.tensor3d(canvas.data, [canvas.height, canvas.width, 3], 'int32');
  try {
    for (const inputSize of CASCADE.paddedInputSizes) {
      const detections = await faceapi.detectAllFaces(padded as never, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore }));
      if (detections.length > 0) return { canvas, detections, padding };
    }
  } finally {
    padded.dispose();
  }
  return null;
}

/** One detector (SSD or tiny at 416) on the photo, then on padded copies while none is found. */
async function singleDetect(
  models: FaceModels,
  image: DecodedImage,
  input: FaceApiTensor,
  options: AnalysisOptions,
  limits: DecodeLimits,
): Promise<Found | null> {
  const { faceapi } = models;
  const detectorOptions =
    options.detector === 'tiny'
      ? new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: options.minScore })
      : new faceapi.SsdMobilenetv1Options({ minConfidence: options.minScore });
  const found = await faceapi.detectAllFaces(input as never, detectorOptions);
  if (found.length > 0) return { canvas: unpadded(image), detections: found, padding: 0 };
  for (const padding of PADDING_RETRIES) {
    const canvas = await padImage(image, padding, limits.maxSide);
    const padded = faceapi.tf.tensor3d(canvas.data, [canvas.height, canvas.width, 3], 'int32');
    try {
      const detections = await faceapi.detectAllFaces(padded as never, detectorOptions);
      if (detections.length > 0) return { canvas, detections, padding };
    } finally {
      padded.dispose();
    }
  }
  return null;
}

export async function analysePhoto(models: FaceModels, source: ImageSource, options: AnalysisOptions): Promise<PhotoResult> {
  const { faceapi } = models;
  const timings: StageTimings = { decode: 0, detect: 0, landmarks: 0, descriptor: 0 };
  let start = performance.now();
  const limits = options.limits ?? DEFAULT_DECODE_LIMITS;
  const image = await decodeImage(source, limits);
  timings.decode = performance.now() - start;

  const input = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    start = performance.now();
    const found =
      options.detector === 'cascade'
        ? await cascadeDetect(models, image, input as never, options.minScore)
        : await singleDetect(models, image, input as never, options, limits);
    timings.detect = performance.now() - start;
    if (!found) return { width: image.originalWidth, height: image.originalHeight, faces: [], timings };
    const onCanvas = found.padding === 0 ? input : faceapi.tf.tensor3d(found.canvas.data, [found.canvas.height, found.canvas.width, 3], 'int32');
    try {
      const faces = await describeDetections(models, onCanvas as never, found.detections, image, found.canvas, found.padding, timings);
      return { width: image.originalWidth, height: image.originalHeight, faces, timings };
    } finally {
      if (onCanvas !== input) onCanvas.dispose();
    }
  } finally {
    input.dispose();
  }
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
    const relative = new faceapi.Rect(box.x / image.originalWidth, box.y / image.originalHeight, box.w / image.originalWidth, box.h / image.originalHeight);
    const detection = new faceapi.FaceDetection(1, relative, { width: image.width, height: image.height });
    const timings: StageTimings = { decode: 0, detect: 0, landmarks: 0, descriptor: 0 };
    const [face] = await describeDetections(models, input as never, [detection], image, unpadded(image), 0, timings);
    return face;
  } finally {
    input.dispose();
  }
}
