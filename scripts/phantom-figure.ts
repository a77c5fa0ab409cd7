/**
 * Writes the README's phantom figure: one NOR subject of the cardiac phantom (vendor A, seed 31), base, mid and
 * apical slices at end-diastole and the mid slice at end-systole, without (top row) and with (bottom row) the truth
 * outlined (RV blue, MYO green, LV red). Usage: npx tsx scripts/phantom-figure.ts [out.png]
 */
import { writePng } from '../src/report/write-png.ts';
import { cardiacPhantom } from '../src/phantom/cardiac/cardiac-phantom.ts';
import { montage, sliceOverlay } from '../src/report/slice-overlay.ts';

const out = process.argv[2] ?? 'docs/phantom-cardiac.png';
const p = cardiacPhantom({ group: 'NOR', vendor: 'A', seed: 31 });
const image = p.image!;
const nz = image.shape[2];
const views = [
  { slice: 1, frame: p.edFrame },
  { slice: Math.floor(nz / 2) - 1, frame: p.edFrame },
  { slice: nz - 3, frame: p.edFrame },
  { slice: Math.floor(nz / 2) - 1, frame: p.esFrame },
];
const tiles = [
  ...views.map((v) => sliceOverlay(image, null, { ...v, zoom: 2 })),
  ...views.map((v) => sliceOverlay(image, p.labels, { ...v, zoom: 2 })),
];
writePng(out, montage(tiles, 4));
process.stdout.write(`${out}\n`);
