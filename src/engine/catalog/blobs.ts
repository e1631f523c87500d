// Typed arrays to and from SQLite blobs (landmarks, descriptors, projections).

/** The array's bytes as a Buffer over the same memory, for binding to a statement. */
export function toBlob(array: Float32Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies: a blob's Buffer may share a pool and sit unaligned for a typed-array view. */
export function float32FromBlob(buffer: Buffer): Float32Array {
  const copy = new Float32Array(buffer.byteLength / 4);
  new Uint8Array(copy.buffer).set(buffer);
  return copy;
}

export function int32FromBlob(buffer: Buffer): Int32Array {
  const copy = new Int32Array(buffer.byteLength / 4);
  new Uint8Array(copy.buffer).set(buffer);
  return copy;
}
