/**
 * The dosimetrist rater's quality against the clean labels, as the noisy-ratio study states it (Dice 0.87 ± 0.08,
 * median 0.87, 45 of 202 cases below 0.80; on average 95 % of clean voxels kept, 3,887 removed and 699 added per
 * case): per subject, the head-and-neck phantom, the expert's labels (clean) and the dosimetrist's (noisy).
 * Usage: npx tsx scripts/calibrate-dosimetrist.ts [subjects=12] [geometry=seed|default|nx,ny,nz] [seed=1]
 * (nx,ny,nz: that grid at the seed's 1.17×1.17×3 mm spacing, e.g. 128,128,48 — the mandible within a smaller field)
 */
import { HEADNECK_SEED_GEOMETRY, headneckPhantom } from '../src/phantom/headneck/headneck-phantom.ts';
import { Rng } from '../src/random/rng.ts';
import { applyRater } from '../src/raters/apply-rater.ts';
import { HEADNECK_RATERS } from '../src/raters/rater-models.ts';

const subjects = Number(process.argv[2] ?? 12);
const arg = process.argv[3] ?? 'seed';
const geometry =
  arg === 'default'
    ? {}
    : arg === 'seed'
      ? HEADNECK_SEED_GEOMETRY
      : { shape: arg.split(',').map(Number) as [number, number, number], spacing: HEADNECK_SEED_GEOMETRY.spacing };
const root = new Rng(Number(process.argv[4] ?? 1));
const rows: { dice: number; kept: number; removed: number; added: number; clean: number }[] = [];
for (let s = 0; s < subjects; s++) {
  const p = headneckPhantom({ seed: root.fork(`subject:${s}`).nextUint32(), ...geometry });
  const clean = applyRater(p.labels, p.image, HEADNECK_RATERS.expert, root.fork(`expert:${s}`).nextUint32()).data;
  const noisy = applyRater(
    p.labels,
    p.image,
    HEADNECK_RATERS.dosimetrist,
    root.fork(`dosimetrist:${s}`).nextUint32(),
  ).data;
  let tp = 0;
  let fn = 0;
  let fp = 0;
  for (let v = 0; v < clean.length; v++) {
    if (clean[v] && noisy[v]) tp++;
    else if (clean[v]) fn++;
    else if (noisy[v]) fp++;
  }
  rows.push({ dice: (2 * tp) / (2 * tp + fn + fp), kept: tp / (tp + fn), removed: fn, added: fp, clean: tp + fn });
  process.stderr.write(`subject ${s + 1}: ${JSON.stringify(rows[rows.length - 1])}\n`);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1));
const median = (xs: number[]) => {
  const t = [...xs].sort((a, b) => a - b);
  return t.length % 2 ? t[t.length >> 1] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
};
const dice = rows.map((r) => r.dice);
process.stdout.write(
  JSON.stringify({
    subjects,
    geometry: arg,
    diceMean: mean(dice),
    diceSd: sd(dice),
    diceMedian: median(dice),
    fractionBelow080: dice.filter((d) => d < 0.8).length / dice.length,
    keptMean: mean(rows.map((r) => r.kept)),
    removedMean: mean(rows.map((r) => r.removed)),
    addedMean: mean(rows.map((r) => r.added)),
    cleanVoxelsMean: mean(rows.map((r) => r.clean)),
  }) + '\n',
);
