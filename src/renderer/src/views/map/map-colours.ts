// How the map colours its points (by cluster, person, quality gate or yaw) and what its legend lists; pure, so it can be tested on arrays.
import type { Projection, QualityGate } from '../../../../shared/contract.ts';

export const COLOUR_BY = ['cluster', 'person', 'quality', 'yaw'] as const;
export type ColourBy = (typeof COLOUR_BY)[number];

/** Distinct hues (Tableau 20 without its greys, the strongest first); grey stays free for "untagged" and "unknown". */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#edc948',
  '#76b7b2',
  '#ff9da7',
  '#9c755f',
  '#a0cbe8',
  '#ffbe7d',
  '#8cd17d',
  '#d4a6c8',
  '#f1ce63',
  '#86bcb6',
  '#fabfd2',
  '#d7b5a6',
  '#499894',
];

/** Points that carry no information in a colouring (untagged, passing every gate, yaw unknown): quiet, drawn first, under the others. */
export const NEUTRAL = '#c5cad3';
const PASSED = '#93c5a6';
const GATE_COLOURS: Record<QualityGate, string> = { score: '#e15759', size: '#f28e2b', residual: '#b07aa1', yaw: '#4e79a7' };

/** Yaw runs from one side through facing the camera to the other: a diverging scale, muted in the middle. */
export const YAW_SCALE = { left: [47, 111, 208], middle: [178, 172, 196], right: [217, 98, 43] } as const;

/** The colour of cluster `n`, the same in the Clusters view's cards and on the map. */
export function clusterColour(cluster: number): string {
  return PALETTE[cluster % PALETTE.length];
}

export type LegendItem =
  | { kind: 'cluster'; cluster: number; colour: string; count: number }
  | { kind: 'person'; identityId: number; colour: string; count: number }
  | { kind: 'untagged' | 'passed' | 'unknownYaw'; colour: string; count: number }
  | { kind: 'gate'; gate: QualityGate; colour: string; count: number };

export interface MapPaint {
  /** Drawn position → index into the projection's arrays: neutral points first, so coloured ones are never hidden under them. */
  order: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  colours: string[];
  legend: LegendItem[];
  /** For yaw: the scale runs from −limit to +limit degrees. */
  yawLimit: number | null;
}

type Colouring = { colourOf: (index: number) => string; neutral: (index: number) => boolean; legend: LegendItem[]; yawLimit: number | null };

function byCluster(p: Projection): Colouring {
  const counts = new Map<number, number>();
  for (const c of p.clusters) counts.set(c, (counts.get(c) ?? 0) + 1);
  const legend: LegendItem[] = [...counts]
    .sort(([a], [b]) => a - b)
    .map(([cluster, count]) => ({ kind: 'cluster', cluster, colour: clusterColour(cluster), count }));
  return { colourOf: (i) => clusterColour(p.clusters[i]), neutral: () => false, legend, yawLimit: null };
}

function byPerson(p: Projection, people: readonly number[]): Colouring {
  const counts = new Map<number, number>();
  let untagged = 0;
  for (const id of p.identityIds) {
    if (id === null) untagged++;
    else counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  // A person's colour follows their place among everyone (by id), not among those on the map: tagging or moving faces never repaints the others.
  const everyone = [...new Set([...people, ...counts.keys()])].sort((a, b) => a - b);
  const colour = new Map(everyone.map((id, rank) => [id, PALETTE[rank % PALETTE.length]]));
  // The legend orders the people itself: it knows their names.
  const legend: LegendItem[] = [...counts].map(([identityId, count]) => ({ kind: 'person', identityId, colour: colour.get(identityId)!, count }));
  if (untagged > 0) legend.push({ kind: 'untagged', colour: NEUTRAL, count: untagged });
  return {
    colourOf: (i) => (p.identityIds[i] === null ? NEUTRAL : colour.get(p.identityIds[i]!)!),
    neutral: (i) => p.identityIds[i] === null,
    legend,
    yawLimit: null,
  };
}

function byQuality(p: Projection): Colouring {
  const counts = new Map<QualityGate | null, number>();
  for (const gate of p.gates) counts.set(gate, (counts.get(gate) ?? 0) + 1);
  const legend: LegendItem[] = [];
  if (counts.has(null)) legend.push({ kind: 'passed', colour: PASSED, count: counts.get(null)! });
  for (const gate of Object.keys(GATE_COLOURS) as QualityGate[]) {
    if (counts.has(gate)) legend.push({ kind: 'gate', gate, colour: GATE_COLOURS[gate], count: counts.get(gate)! });
  }
  return { colourOf: (i) => (p.gates[i] === null ? PASSED : GATE_COLOURS[p.gates[i]!]), neutral: (i) => p.gates[i] === null, legend, yawLimit: null };
}

function mix(a: readonly number[], b: readonly number[], share: number): string {
  const channel = (k: number) => Math.round(a[k] + (b[k] - a[k]) * share);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

/** The colour of a yaw in degrees on a scale from −limit to +limit. */
export function yawColour(yaw: number, limit: number): string {
  const share = Math.max(-1, Math.min(1, yaw / limit));
  return share < 0 ? mix(YAW_SCALE.middle, YAW_SCALE.left, -share) : mix(YAW_SCALE.middle, YAW_SCALE.right, share);
}

function byYaw(p: Projection): Colouring {
  let largest = 0;
  let unknown = 0;
  for (const yaw of p.yaw) {
    if (yaw === null) unknown++;
    else largest = Math.max(largest, Math.abs(yaw));
  }
  // A round limit (a multiple of 15°, at most 90°) keeps the legend's labels readable.
  const limit = Math.min(90, Math.max(15, Math.ceil(largest / 15) * 15));
  const legend: LegendItem[] = unknown > 0 ? [{ kind: 'unknownYaw', colour: NEUTRAL, count: unknown }] : [];
  return { colourOf: (i) => (p.yaw[i] === null ? NEUTRAL : yawColour(p.yaw[i]!, limit)), neutral: (i) => p.yaw[i] === null, legend, yawLimit: limit };
}

const COLOURINGS: Record<ColourBy, (p: Projection, people: readonly number[]) => Colouring> = {
  cluster: byCluster,
  person: byPerson,
  quality: byQuality,
  yaw: byYaw,
};

/** The points of a map in drawing order, with their colours and the legend that explains them; `people`: the id of every person in the library. */
export function paintMap(p: Projection, by: ColourBy, people: readonly number[] = []): MapPaint {
  const { colourOf, neutral, legend, yawLimit } = COLOURINGS[by](p, people);
  const n = p.faceIds.length;
  const order = new Uint32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) if (neutral(i)) order[next++] = i;
  for (let i = 0; i < n; i++) if (!neutral(i)) order[next++] = i;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const colours = new Array<string>(n);
  for (let drawn = 0; drawn < n; drawn++) {
    const i = order[drawn];
    x[drawn] = p.coords[2 * i];
    y[drawn] = p.coords[2 * i + 1];
    colours[drawn] = colourOf(i);
  }
  return { order, x, y, colours, legend, yawLimit };
}
