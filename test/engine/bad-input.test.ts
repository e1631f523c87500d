// Tests that a scan survives bad files (empty, truncated, not an image, unreadable, no face, huge), records each with its reason, and decodes netpbm.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanSummary } from '../../src/shared/contract.ts';
import { Engine } from '../../src/engine/engine.ts';
import { DEFAULT_DECODE_LIMITS, DecodeError, decodeImage, parseNetpbm } from '../../src/engine/analysis/decode.ts';
import { facesIn, photosIn, scanLibrary, type FaceRecord, type PhotoRecord } from '../helpers/library.ts';
import { facetBin, repoRoot } from '../helpers/cli.ts';
import { dataFile, describeWithData } from '../helpers/shared-data.ts';
import { tempDir, useTempDirs } from '../helpers/temp.ts';

useTempDirs();

const HUGE_SIDE = 12_000;
/**
 * The bound on the test process's peak memory while the engine analyses the huge image: about
 * 630 MiB measured; padding the full-size copy for the no-face retries used to reach 1.5 GiB.
 */
const MAX_RSS_BYTES = 1024 ** 3;

/** A horizontal grey-to-blue gradient: an image with nothing like a face in it. */
async function writeGradient(file: string, width: number, height: number): Promise<void> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = pixels[i + 1] = Math.round((x / width) * 200);
      pixels[i + 2] = 60 + Math.round((y / height) * 180);
    }
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(file);
}

/**
 * Writes a HUGE_SIDE² JPEG. Done in a child process: building it costs sharp about a gigabyte,
 * which must not count against the peak memory measured in this process.
 */
function writeHugeJpeg(file: string): void {
  const script = `require('sharp')({ create: { width: ${HUGE_SIDE}, height: ${HUGE_SIDE}, channels: 3, background: { r: 150, g: 120, b: 100 } } })
    .jpeg({ quality: 70 }).toFile(${JSON.stringify(file)}).catch((e) => { console.error(e); process.exit(1); });`;
  execFileSync(process.execPath, ['-e', script], { cwd: repoRoot, stdio: 'inherit' });
}

/** The unprivileged user of Debian and most Linux systems. */
const NOBODY = 65534;

describeWithData('a scan over bad input', () => {
  let root: string;
  let summary: ScanSummary;
  let photos: Map<string, PhotoRecord>;
  let faces: FaceRecord[];
  let unreadableIsReadable: boolean;
  let engine: Engine;

  beforeAll(async () => {
    const dir = tempDir('facet-bad-');
    root = join(dir, 'photos');
    for (const folder of ['good', 'bad', 'orl', 'plain', 'big']) mkdirSync(join(root, folder), { recursive: true });

    copyFileSync(dataFile('faceapi-bbt-cast/howard/howard1.png'), join(root, 'good/howard1.png'));
    writeFileSync(join(root, 'bad/zero.jpg'), '');
    const jpeg = readFileSync(dataFile('lfw-dev/Tony_Blair/Tony_Blair_0002.jpg'));
    writeFileSync(join(root, 'bad/truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    writeFileSync(join(root, 'bad/notes.jpg'), 'Shopping list:\n- milk\n- a real photo\n');
    copyFileSync(dataFile('lfw-dev/Colin_Powell/Colin_Powell_0001.jpg'), join(root, 'bad/unreadable.jpg'));
    chmodSync(join(root, 'bad/unreadable.jpg'), 0o000);
    try {
      readFileSync(join(root, 'bad/unreadable.jpg'));
      unreadableIsReadable = true;
    } catch {
      unreadableIsReadable = false;
    }
    copyFileSync(dataFile('orl-att-faces-pgm/s1/1.pgm'), join(root, 'orl/s1-1.pgm'));
    await writeGradient(join(root, 'plain/gradient.png'), 320, 240);
    writeHugeJpeg(join(root, 'big/huge.jpg'));

    engine = new Engine({ dataDir: tempDir('facet-data-') });
    await engine.openCatalogFile(join(dir, 'catalog.sqlite'), root);
    summary = await scanLibrary(engine, { workers: 1 });
    photos = photosIn(join(dir, 'catalog.sqlite'));
    faces = facesIn(join(dir, 'catalog.sqlite'));
  });

  afterAll(async () => {
    await engine?.close();
  });

  const failure = (path: string) => summary.failed.find((f) => f.path === path);
  const facesOf = (path: string) => faces.filter((f) => f.photo_id === photos.get(path)!.id);

  it('finishes the scan and analyses the good photo', () => {
    expect(summary.state).toBe('done');
    expect(summary.error).toBeUndefined();
    expect(photos.size).toBe(8);
    expect(photos.get('good/howard1.png')).toMatchObject({ state: 'analysed', width: 150, height: 150 });
    expect(facesOf('good/howard1.png')).toHaveLength(1);
  });

  it('lists every failure with a readable reason, in the summary and in the catalog', async () => {
    for (const f of summary.failed) {
      expect(f.reason.length).toBeGreaterThan(5);
      // A reason for the user: one line, no stack trace, no "undefined".
      expect(f.reason).not.toMatch(/\n|\bat .*:\d+|undefined|\[object/);
      expect(photos.get(f.path)).toMatchObject({ state: 'failed', error: f.reason });
    }
    const listed = await engine.call('library/failures', {});
    expect([...listed].sort((a, b) => a.path.localeCompare(b.path))).toEqual([...summary.failed].sort((a, b) => a.path.localeCompare(b.path)));
    expect(summary.failed.length).toBe([...photos.values()].filter((p) => p.state === 'failed').length);
  });

  it('fails a zero-byte .jpg as empty', () => {
    expect(failure('bad/zero.jpg')?.reason).toMatch(/empty/);
  });

  it('fails a truncated JPEG as damaged', () => {
    expect(failure('bad/truncated.jpg')?.reason).toMatch(/damaged|truncated|premature/i);
  });

  it('fails a text file named .jpg as not an image', () => {
    expect(failure('bad/notes.jpg')?.reason).toMatch(/not an image/);
  });

  it('fails a file it may not read as permission denied', () => {
    if (unreadableIsReadable) {
      // Root (as in CI containers) reads a mode-000 file anyway: here the photo is simply analysed, and the test
      // below provokes the refusal by scanning as an unprivileged user.
      expect(photos.get('bad/unreadable.jpg')?.state).toBe('analysed');
      return;
    }
    expect(failure('bad/unreadable.jpg')?.reason).toMatch(/permission denied/);
  });

  it.runIf(process.getuid?.() === 0)('as root, still records "permission denied" when the scan runs as a user the file refuses', () => {
    // A library of one readable photo and one mode-000 copy, scanned by `facet scan` running as nobody.
    const dir = tempDir('facet-bad-nobody-');
    const library = join(dir, 'photos');
    mkdirSync(library);
    copyFileSync(dataFile('faceapi-bbt-cast/howard/howard1.png'), join(library, 'howard1.png'));
    copyFileSync(dataFile('lfw-dev/Colin_Powell/Colin_Powell_0001.jpg'), join(library, 'unreadable.jpg'));
    chmodSync(join(library, 'unreadable.jpg'), 0o000);
    chmodSync(dir, 0o777);
    chmodSync(library, 0o755);
    const out = execFileSync(process.execPath, [facetBin, 'scan', library, '--db', join(dir, 'catalog.sqlite'), '--workers', '1', '--json'], {
      cwd: repoRoot,
      uid: NOBODY,
      gid: NOBODY,
      env: { ...process.env, HOME: dir, FACET_DATA_DIR: join(dir, 'data') },
      encoding: 'utf8',
    });
    const result = JSON.parse(out) as { analysed: number; failed: { path: string; reason: string }[] };
    expect(result.failed).toEqual([{ path: 'unreadable.jpg', reason: expect.stringMatching(/permission denied/) }]);
    expect(result.analysed).toBe(1);
  });

  it('analyses a PGM file and finds its face', () => {
    expect(photos.get('orl/s1-1.pgm')).toMatchObject({ state: 'analysed', width: 92, height: 112, error: null });
    const found = facesOf('orl/s1-1.pgm');
    expect(found).toHaveLength(1);
    const [face] = found;
    expect(face.box_x).toBeGreaterThanOrEqual(0);
    expect(face.box_y).toBeGreaterThanOrEqual(0);
    expect(face.box_x + face.box_w).toBeLessThanOrEqual(92 + 1e-3);
    expect(face.box_y + face.box_h).toBeLessThanOrEqual(112 + 1e-3);
  });

  it('analyses an image without a face as a photo with no faces, not a failure', () => {
    expect(photos.get('plain/gradient.png')).toMatchObject({ state: 'analysed', width: 320, height: 240, error: null });
    expect(facesOf('plain/gradient.png')).toEqual([]);
  });

  it('analyses a 12000×12000 image at its real size, under the pixel limit, with bounded memory', () => {
    // 144 megapixels: under the limit a photo is refused at (the "decoding limits" tests below refuse one over it).
    expect(HUGE_SIDE * HUGE_SIDE).toBeLessThan(DEFAULT_DECODE_LIMITS.maxPixels);
    expect(photos.get('big/huge.jpg')).toMatchObject({ state: 'analysed', width: HUGE_SIDE, height: HUGE_SIDE, error: null });
    // maxRSS is in kilobytes; the analysis worker is a thread of this process, so it counts here.
    expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(MAX_RSS_BYTES);
  });

  it('does not retry the failed files on the next scan, and keeps them listed', async () => {
    const again = await scanLibrary(engine, { workers: 1 });
    expect(again).toMatchObject({ state: 'done', added: 0, changed: 0, analysed: 0 });
    expect([...again.failed].sort((a, b) => a.path.localeCompare(b.path))).toEqual([...summary.failed].sort((a, b) => a.path.localeCompare(b.path)));
  });
});

describe('decoding limits', () => {
  it('refuses an image over the pixel limit with a reason', async () => {
    const file = join(tempDir('facet-decode-'), 'wide.png');
    await writeGradient(file, 400, 300);
    await expect(decodeImage(file, { maxPixels: 100_000, maxSide: 2048 })).rejects.toThrow(DecodeError);
    await expect(decodeImage(file, { maxPixels: 100_000, maxSide: 2048 })).rejects.toThrow(/pixel limit/);
  });

  it('scales a large image down to the longest side, reporting the scale back to the original', async () => {
    const file = join(tempDir('facet-decode-'), 'wide.png');
    await writeGradient(file, 1000, 500);
    const image = await decodeImage(file, { maxPixels: 10_000_000, maxSide: 400 });
    expect(image).toMatchObject({ width: 400, height: 200, originalWidth: 1000, originalHeight: 500, scale: 2.5 });
    expect(image.data.length).toBe(400 * 200 * 3);
  });
});

describe('parseNetpbm', () => {
  const bytes = (header: string, body: number[]) => Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(body)]);

  it('reads plain P2 with comments and rescales maxval to 8 bits', () => {
    const image = parseNetpbm(Buffer.from('P2\n# made by hand\n3 2\n# levels\n15\n0 15 5\n10 3\n 15\n'));
    expect(image).toMatchObject({ width: 3, height: 2, channels: 1 });
    expect([...image.data]).toEqual([0, 255, 85, 170, 51, 255]);
  });

  it('reads binary P5, 8-bit and 16-bit (big-endian, reduced to 8)', () => {
    const eight = parseNetpbm(bytes('P5 2 2 255\n', [0, 7, 128, 255]));
    expect(eight).toMatchObject({ width: 2, height: 2, channels: 1 });
    expect([...eight.data]).toEqual([0, 7, 128, 255]);
    const sixteen = parseNetpbm(bytes('P5\n3 1\n65535\n', [0x00, 0x00, 0x80, 0x00, 0xff, 0xff]));
    expect([...sixteen.data]).toEqual([0, 128, 255]);
  });

  it('reads colour P6 and P3, and bitmaps P1 and P4 with 1 as black', () => {
    const p6 = parseNetpbm(bytes('P6\n2 1\n255\n', [255, 0, 0, 0, 0, 255]));
    expect(p6).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect([...p6.data]).toEqual([255, 0, 0, 0, 0, 255]);
    expect([...parseNetpbm(Buffer.from('P3 1 1 255 10 20 30')).data]).toEqual([10, 20, 30]);
    expect([...parseNetpbm(Buffer.from('P1\n3 1\n1 0 1\n')).data]).toEqual([0, 255, 0]);
    // P4 rows are padded to whole bytes: 3 pixels use the top 3 bits of each row's byte.
    const p4 = parseNetpbm(bytes('P4\n3 2\n', [0b10100000, 0b01000000]));
    expect([...p4.data]).toEqual([0, 255, 0, 255, 0, 255]);
  });

  it('throws DecodeError on truncated or malformed files', () => {
    expect(() => parseNetpbm(bytes('P5\n4 4\n255\n', [1, 2, 3, 4, 5]))).toThrow(DecodeError);
    expect(() => parseNetpbm(bytes('P5\n4 4\n255\n', [1, 2, 3, 4, 5]))).toThrow(/truncated/);
    expect(() => parseNetpbm(bytes('P6\n2 2\n255\n', [1, 2, 3]))).toThrow(/truncated/);
    expect(() => parseNetpbm(Buffer.from('P2\n3 2\n255\n1 2 3\n'))).toThrow(DecodeError);
    expect(() => parseNetpbm(Buffer.from('P5\n'))).toThrow(DecodeError);
    expect(() => parseNetpbm(Buffer.from('P7\n1 1\n255\n'))).toThrow(/bad magic/);
    expect(() => parseNetpbm(Buffer.from('P5\n0 4\n255\n'))).toThrow(/bad header/);
    expect(() => parseNetpbm(Buffer.from('GIF89a'))).toThrow(DecodeError);
  });

  describeWithData('on a real ORL file', () => {
    it('gives the same pixels as the lossless PNG of the same photo', async () => {
      const pgm = parseNetpbm(readFileSync(dataFile('orl-att-faces-pgm/s1/1.pgm')));
      expect(pgm).toMatchObject({ width: 92, height: 112, channels: 1 });
      const png = await sharp(dataFile('orl-att-faces/s1/1.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
      expect(png.info).toMatchObject({ width: 92, height: 112, channels: 1 });
      expect(Buffer.compare(pgm.data, png.data)).toBe(0);
    });
  });
});
