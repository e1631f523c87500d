// Decodes a photo into RGB pixels for the face models: EXIF orientation applied, size bounded.
import sharp, { type Sharp } from 'sharp';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

export interface DecodedImage {
  /** Packed RGB, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
  /** The photo's own size (after EXIF rotation); the pixels above may be a scaled-down copy. */
  originalWidth: number;
  originalHeight: number;
  /** original / decoded: multiply model coordinates by this to get photo coordinates. */
  scale: number;
}

export interface DecodeLimits {
  /** Photos with more pixels than this are refused (decompression bombs, scans of posters). */
  maxPixels: number;
  /** The longer side is scaled down to this before detection; faces stay far above model size. */
  maxSide: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPixels: 200_000_000, maxSide: 2048 };

export class DecodeError extends Error {
  override name = 'DecodeError';
}

const NETPBM = new Set(['.pgm', '.ppm', '.pnm', '.pbm']);

/**
 * Reads binary or plain netpbm (P1–P6), which sharp's libvips build does not: returns raw
 * pixels for sharp to continue from. 16-bit samples are reduced to 8.
 */
export function parseNetpbm(buffer: Buffer): { data: Buffer; width: number; height: number; channels: 1 | 3 } {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buffer.length && /\s/.test(String.fromCharCode(buffer[pos]))) pos++;
      if (buffer[pos] === 0x23) {
        while (pos < buffer.length && buffer[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < buffer.length && !/\s/.test(String.fromCharCode(buffer[pos]))) pos++;
    if (start === pos) throw new DecodeError('not a netpbm image: header ends early');
    return buffer.toString('latin1', start, pos);
  };
  const magic = token();
  if (!/^P[1-6]$/.test(magic)) throw new DecodeError('not a netpbm image: bad magic number');
  const kind = Number(magic[1]);
  const width = Number(token());
  const height = Number(token());
  const maxval = kind === 1 || kind === 4 ? 1 : Number(token());
  if (!(width > 0 && height > 0 && maxval > 0 && maxval < 65536)) throw new DecodeError('not a netpbm image: bad header');
  const channels: 1 | 3 = kind === 3 || kind === 6 ? 3 : 1;
  const count = width * height * channels;
  const out = Buffer.alloc(count);
  const to8 = (v: number) => Math.round(((kind === 1 || kind === 4 ? 1 - v : v) * 255) / maxval);
  if (kind <= 3) {
    for (let i = 0; i < count; i++) out[i] = to8(Number(token()));
  } else if (kind === 4) {
    pos++;
    const rowBytes = Math.ceil(width / 8);
    if (buffer.length < pos + rowBytes * height) throw new DecodeError('truncated netpbm image');
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = to8((buffer[pos + y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1);
  } else {
    pos++; // the single whitespace after maxval
    const bytes = maxval > 255 ? 2 : 1;
    if (buffer.length < pos + count * bytes) throw new DecodeError('truncated netpbm image');
    for (let i = 0; i < count; i++) out[i] = to8(bytes === 2 ? buffer.readUInt16BE(pos + 2 * i) : buffer[pos + i]);
  }
  return { data: out, width, height, channels };
}

function describeSharpError(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (/unsupported image format/i.test(message)) return 'not an image, or a format Facet cannot read';
  if (/pixel limit/i.test(message)) return 'image is larger than the pixel limit';
  if (/premature end|truncated|corrupt|invalid|bad seek|unexpected end/i.test(message)) return `damaged image: ${message.split('\n')[0]}`;
  return message.split('\n')[0];
}

/** A photo on disk, or one's bytes (a photo sent to match, which is never written into the library). */
export type ImageSource = string | Uint8Array;

/** Bytes carry no file name: netpbm is recognised by its magic number (P1–P6, then whitespace). */
function isNetpbm(source: ImageSource, bytes: Uint8Array): boolean {
  if (typeof source === 'string') return NETPBM.has(extname(source).toLowerCase());
  return bytes[0] === 0x50 && bytes[1] >= 0x31 && bytes[1] <= 0x36 && /\s/.test(String.fromCharCode(bytes[2] ?? 0));
}

/**
 * A sharp pipeline over the file's bytes, netpbm included; refuses empty files and images over
 * the pixel limit. Callers add rotate() so that coordinates are those of the upright photo.
 */
export async function openImage(source: ImageSource, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<Sharp> {
  const bytes = typeof source === 'string' ? await readFile(source) : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  if (bytes.length === 0) throw new DecodeError('empty file');
  try {
    if (isNetpbm(source, bytes)) {
      const pnm = parseNetpbm(bytes);
      return sharp(pnm.data, { raw: { width: pnm.width, height: pnm.height, channels: pnm.channels } });
    }
    return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated' });
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(describeSharpError(error));
  }
}

/** Decodes `source` or throws DecodeError with a reason fit to show the user. */
export async function decodeImage(source: ImageSource, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<DecodedImage> {
  const input = await openImage(source, limits);
  try {
    const meta = await input.metadata();
    if (!meta.width || !meta.height) throw new DecodeError('image has no size');
    if (meta.width * meta.height > limits.maxPixels) throw new DecodeError(`image is larger than the pixel limit (${meta.width}×${meta.height})`);
    const rotated = (meta.orientation ?? 1) >= 5;
    const originalWidth = rotated ? meta.height : meta.width;
    const originalHeight = rotated ? meta.width : meta.height;
    const { data, info } = await input
      .rotate()
      .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new DecodeError(`unexpected channel count ${info.channels}`);
    return {
      data,
      width: info.width,
      height: info.height,
      originalWidth,
      originalHeight,
      scale: originalWidth / info.width,
    };
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(describeSharpError(error));
  }
}
