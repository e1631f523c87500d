// The faces of a clustering packed into a few flat arrays, so that they reach a worker thread by transfer instead of a copy of 20,000 objects.
import type { ClusterFace } from '../core/cluster-run.ts';

export interface PackedFaces {
  count: number;
  landmarks: Float32Array;
  landmarkLength: number;
  descriptors: Float32Array;
  descriptorLength: number;
  identities: (string | null)[];
  /** NaN where the pose is unknown. */
  yaw: Float64Array;
  roll: Float64Array;
  /** 1 for a face placed only (ClusterFace.placedOnly). */
  placedOnly: Uint8Array;
}

export function packFaces(faces: readonly ClusterFace[]): PackedFaces {
  const count = faces.length;
  const landmarkLength = faces[0]?.landmarks.length ?? 0;
  const descriptorLength = faces[0]?.descriptor.length ?? 0;
  const landmarks = new Float32Array(count * landmarkLength);
  const descriptors = new Float32Array(count * descriptorLength);
  faces.forEach((face, i) => {
    landmarks.set(face.landmarks, i * landmarkLength);
    descriptors.set(face.descriptor, i * descriptorLength);
  });
  return {
    count,
    landmarks,
    landmarkLength,
    descriptors,
    descriptorLength,
    identities: faces.map((f) => f.identity),
    yaw: Float64Array.from(faces, (f) => f.yaw ?? Number.NaN),
    roll: Float64Array.from(faces, (f) => f.roll ?? Number.NaN),
    placedOnly: Uint8Array.from(faces, (f) => (f.placedOnly ? 1 : 0)),
  };
}

/** The buffers to transfer with a packed set. */
export function packedBuffers(packed: PackedFaces): ArrayBuffer[] {
  return [packed.landmarks.buffer, packed.descriptors.buffer, packed.yaw.buffer, packed.roll.buffer, packed.placedOnly.buffer] as ArrayBuffer[];
}

export function unpackFaces(packed: PackedFaces): ClusterFace[] {
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  return Array.from({ length: packed.count }, (_, i) => ({
    landmarks: packed.landmarks.subarray(i * packed.landmarkLength, (i + 1) * packed.landmarkLength),
    descriptor: packed.descriptors.subarray(i * packed.descriptorLength, (i + 1) * packed.descriptorLength),
    identity: packed.identities[i],
    yaw: orNull(packed.yaw[i]),
    roll: orNull(packed.roll[i]),
    placedOnly: packed.placedOnly[i] === 1,
  }));
}
