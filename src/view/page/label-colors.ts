/**
 * Label colours: a fixed palette by label value (dataset.json carries names, not colours), the first entries as
 * ITK-SNAP's default label colours so cardiac labels 1–3 look as they do there; names from dataset.json.
 */
import type { ColorMap } from './niivue-types.ts';

const PALETTE: [number, number, number][] = [
  [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255], [255, 239, 213],
  [0, 0, 205], [205, 133, 63], [210, 180, 140], [102, 205, 170], [0, 0, 128], [0, 139, 139], [46, 139, 87],
  [255, 228, 225], [106, 90, 205], [221, 160, 221], [233, 150, 122], [165, 42, 42], [255, 250, 250], [147, 112, 219],
  [218, 112, 214], [75, 0, 130], [255, 182, 193], [60, 179, 113], [255, 235, 205], [255, 228, 196], [218, 165, 32],
];

/** The colour of label `value` (> 0) as [r, g, b] 0–255. */
export function labelColor(value: number): [number, number, number] {
  return PALETTE[(value - 1) % PALETTE.length];
}

/** CSS colour of label `value`. */
export function labelCss(value: number): string {
  const [r, g, b] = labelColor(value);
  return `rgb(${r},${g},${b})`;
}

/** niivue's label colour map for values 0 … max: 0 transparent, names from `names` ("1": "RV"). */
export function labelColormap(names: Record<string, string>, max: number): ColorMap {
  const cm: ColorMap = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: ['background'] };
  for (let v = 1; v <= max; v++) {
    const [r, g, b] = labelColor(v);
    cm.R.push(r);
    cm.G.push(g);
    cm.B.push(b);
    cm.A.push(255);
    cm.I.push(v);
    cm.labels!.push(names[String(v)] ?? String(v));
  }
  return cm;
}
