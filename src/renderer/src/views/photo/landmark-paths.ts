// The 68 landmarks (iBUG layout) as SVG paths: jaw, brows, nose, eyes and lips drawn as the lines a face is read by.

/** [first, last, closed] point ranges of the iBUG 68-point layout. */
const PARTS: readonly [number, number, boolean][] = [
  [0, 16, false], // jaw
  [17, 21, false], // brow (image left)
  [22, 26, false], // brow (image right)
  [27, 30, false], // nose bridge
  [31, 35, false], // nostrils
  [36, 41, true], // eye (image left)
  [42, 47, true], // eye (image right)
  [48, 59, true], // outer lip
  [60, 67, true], // inner lip
];

/** `landmarks` holds x0, y0, x1, y1, … for 68 points. */
export function landmarkPaths(landmarks: readonly number[]): string[] {
  return PARTS.map(([first, last, closed]) => {
    let d = '';
    for (let i = first; i <= last; i++) d += `${i === first ? 'M' : 'L'}${landmarks[i * 2].toFixed(1)} ${landmarks[i * 2 + 1].toFixed(1)}`;
    return closed ? `${d}Z` : d;
  });
}
