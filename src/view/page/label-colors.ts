/**
 * Label colours by value (dataset.json carries names, not colours): labels 1–6 as the report's slice overlays
 * (report/slice-overlay.ts: 1 RV blue, 2 MYO green, 3 LV red, …), then ITK-SNAP's default label colours, so
 * many-organ label sets stay distinguishable; names from dataset.json.
 */
import { LABEL_COLOURS } from '../../report/slice-overlay.ts';
import type { ColorMap } from './niivue-types.ts';

const PALETTE: (readonly [number, number, number])[] = [
  ...LABEL_COLOURS.slice(1),
  [255, 239, 213],
  [0, 0, 205],
  [205, 133, 63],
  [210, 180, 140],
  [102, 205, 170],
  [0, 0, 128],
  [0, 139, 139],
  [46, 139, 87],
  [255, 228, 225],
  [106, 90, 205],
  [221, 160, 221],
  [233, 150, 122],
  [165, 42, 42],
  [255, 250, 250],
  [147, 112, 219],
  [218, 112, 214],
  [75, 0, 130],
  [255, 182, 193],
  [60, 179, 113],
  [255, 235, 205],
  [255, 228, 196],
  [218, 165, 32],
];

/** The colour of label `value` (> 0) as [r, g, b] 0–255. */
export function labelColor(value: number): readonly [number, number, number] {
  return PALETTE[(value - 1) % PALETTE.length];
}

/** CSS colour of label `value`. */
export function labelCss(value: number): string {
  const [r, g, b] = labelColor(value);
  return `rgb(${r},${g},${b})`;
}

/**
 * niivue's label colour map for values 0 … max: 0 transparent, names from `names` ("1": "RV"). With `filled` false
 * the labels' insides are transparent too, so with niivue's atlas outline only the borders show.
 */
export function labelColormap(names: Record<string, string>, max: number, filled = true): ColorMap {
  const cm: ColorMap = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: ['background'] };
  for (let v = 1; v <= max; v++) {
    const [r, g, b] = labelColor(v);
    cm.R.push(r);
    cm.G.push(g);
    cm.B.push(b);
    cm.A.push(filled ? 255 : 0);
    cm.I.push(v);
    cm.labels!.push(names[String(v)] ?? String(v));
  }
  return cm;
}

/** Colour map of the audit's region codes (audit/label-scores.ts REGION_CODES): missing, extra, swapped. */
export function auditColormap(codes: Record<string, number>): ColorMap {
  const cm: ColorMap = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: ['not suspicious'] };
  const colours: Record<string, readonly [number, number, number]> = {
    missing: [0, 200, 255],
    extra: [255, 140, 0],
    swapped: [255, 0, 255],
  };
  for (const [kind, code] of Object.entries(codes).sort((a, b) => a[1] - b[1])) {
    const [r, g, b] = colours[kind] ?? [255, 255, 255];
    cm.R.push(r);
    cm.G.push(g);
    cm.B.push(b);
    cm.A.push(255);
    cm.I.push(code);
    cm.labels!.push(kind);
  }
  return cm;
}

/** Colour map for the disagreement count 1 … max (yellow → red; 0 transparent), named "k differ". */
export function countColormap(max: number): ColorMap {
  const cm: ColorMap = { R: [0], G: [0], B: [0], A: [0], I: [0], labels: ['agree'] };
  for (let v = 1; v <= max; v++) {
    const t = max === 1 ? 1 : (v - 1) / (max - 1);
    cm.R.push(255);
    cm.G.push(Math.round(230 * (1 - t)));
    cm.B.push(0);
    cm.A.push(255);
    cm.I.push(v);
    cm.labels!.push(`${v} differ`);
  }
  return cm;
}

/** Colour map for a percentage 0–100 (STAPLE's probability): transparent below 5 %, then blue → cyan → yellow. */
export function percentColormap(): ColorMap {
  const cm: ColorMap = { R: [], G: [], B: [], A: [], I: [], labels: [] };
  for (let v = 0; v <= 100; v++) {
    const t = v / 100;
    cm.R.push(Math.round(255 * Math.max(0, 2 * t - 1)));
    cm.G.push(Math.round(255 * Math.min(1, 1.6 * t)));
    cm.B.push(Math.round(255 * (1 - t)));
    cm.A.push(v < 5 ? 0 : 255);
    cm.I.push(v);
    cm.labels!.push(`${v} %`);
  }
  return cm;
}
