/**
 * The MNIST annotators' statistics against the truth (intensity ≥ 0.5), drawn as `simulate mnist` draws them (same
 * digits, same per-rater seeds): per annotator the pooled area over the truth's and the mean Dice per digit, and the
 * same for the majority vote of the family's annotators. The harsh family is calibrated against the annotators
 * published with Zhang et al.'s code (100 digits): over 2.9× the truth's area, Dice 0.51; under 0.32×, 0.42;
 * wrong 2.0×, 0.53; majority of the three 0.56.
 * Usage: npx tsx scripts/calibrate-mnist-annotators.ts [harsh|morpho] [count=1000] [seed=1]
 */
import { mnistDigits } from '../src/phantom/mnist/mnist-digits.ts';
import { Rng } from '../src/random/rng.ts';
import { applyRater } from '../src/raters/apply-rater.ts';
import { padded } from '../src/raters/dataset-writer.ts';
import { MNIST_HARSH_RATERS, MNIST_RATERS } from '../src/raters/rater-models.ts';

const family = process.argv[2] ?? 'harsh';
const count = Number(process.argv[3] ?? 1000);
const seed = Number(process.argv[4] ?? 1);
const models = Object.values(family === 'harsh' ? MNIST_HARSH_RATERS : MNIST_RATERS);
const root = new Rng(seed);
const area = new Map<string, number>();
const diceSum = new Map<string, number>();
let truthArea = 0;
const add = (name: string, label: ArrayLike<number>, truth: ArrayLike<number>, digitArea: number): void => {
  let a = 0;
  let tp = 0;
  for (let v = 0; v < truth.length; v++) {
    a += label[v];
    tp += label[v] & truth[v];
  }
  area.set(name, (area.get(name) ?? 0) + a);
  diceSum.set(name, (diceSum.get(name) ?? 0) + (a + digitArea === 0 ? 1 : (2 * tp) / (a + digitArea)));
};
const digits = mnistDigits({ count, seed });
for (const d of digits) {
  const id = `digit${padded(d.index, 9999)}`;
  const t = d.truth.data;
  const digitArea = t.reduce((s, v) => s + v, 0);
  truthArea += digitArea;
  const labels = models.map(
    (m) => applyRater(d.truth, d.image, m, root.fork(`rater:${m.name}:${id}`).nextUint32()).data,
  );
  models.forEach((m, k) => add(m.name, labels[k], t, digitArea));
  add(
    'majority',
    t.map((_, v) => (2 * labels.reduce((s, l) => s + l[v], 0) > labels.length ? 1 : 0)),
    t,
    digitArea,
  );
}
const rows = [...area.keys()].map((name) => ({
  annotator: name,
  areaOverTruth: Number((area.get(name)! / truthArea).toFixed(3)),
  meanDice: Number((diceSum.get(name)! / count).toFixed(3)),
}));
process.stdout.write(JSON.stringify({ family, count, seed, rows }, null, 1) + '\n');
