// Linear scales and round tick values for the small SVG charts drawn by hand (no chart library for a few lines and dots).

/** Maps [domainMin, domainMax] onto [rangeStart, rangeEnd]; a flat domain maps to the middle of the range. */
export function linearScale(domainMin: number, domainMax: number, rangeStart: number, rangeEnd: number): (x: number) => number {
  const span = domainMax - domainMin;
  if (span === 0) return () => (rangeStart + rangeEnd) / 2;
  return (x) => rangeStart + ((x - domainMin) / span) * (rangeEnd - rangeStart);
}

/** About `count` round values (1, 2 or 5 × 10ⁿ apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** An SVG polyline's points attribute. */
export function polylinePoints(points: { x: number; y: number }[]): string {
  return points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}
