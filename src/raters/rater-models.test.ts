import { describe, expect, it } from 'vitest';
import { cardiacPhantom } from '../phantom/cardiac/cardiac-phantom.ts';
import { extractFrame } from '../volume/slice.ts';
import { CARDIAC_GROUPS } from '../phantom/cardiac/cardiac-groups.ts';
import { CARDIAC_VENDORS } from '../phantom/cardiac/cardiac-vendors.ts';
import { headneckPhantom } from '../phantom/headneck/headneck-phantom.ts';
import { mnistDigits } from '../phantom/mnist/mnist-digits.ts';
import { labelDice } from '../registration/label-dice.ts';
import { applyRater } from './apply-rater.ts';
import { CARDIAC_REGIONS } from './label-regions.ts';
import { CARDIAC_RATERS, expertStyles, HEADNECK_RATERS, MNIST_HARSH_RATERS, MNIST_RATERS } from './rater-models.ts';

/** Dice of `label` between a and b; 1 when both lack it. */
const dice = (a: ArrayLike<number>, b: ArrayLike<number>, label: number): number => labelDice(a, b, label) ?? 1;

describe('cardiac raters', () => {
  // Mean Dice against the truth over 10 subjects (two of each group, all vendors), ED and ES.
  const names = ['expert', 'nonexpert2', 'nonexpert1'] as const;
  const mean: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [0, 0, 0]]));
  for (let s = 0; s < 10; s++) {
    const p = cardiacPhantom({
      group: CARDIAC_GROUPS[s % 5],
      vendor: CARDIAC_VENDORS[s % 4],
      frames: 6,
      seed: 300 + s,
    });
    for (const f of [p.edFrame, p.esFrame]) {
      const truth = extractFrame(p.labels, f);
      const image = extractFrame(p.image!, f);
      for (const n of names) {
        const r = applyRater(truth, image, CARDIAC_RATERS[n], 17 * s + f);
        [1, 2, 3].forEach((l, i) => (mean[n][i] += dice(r.data, truth.data, l) / 20));
      }
    }
  }

  it('orders Dice expert > nonexpert2 > nonexpert1 on RV, MYO and LV', () => {
    for (let i = 0; i < 3; i++) {
      expect(mean.expert[i]).toBeGreaterThan(mean.nonexpert2[i]);
      expect(mean.nonexpert2[i]).toBeGreaterThan(mean.nonexpert1[i]);
    }
  });

  it('makes nonexpert1 lose more on MYO and RV than on LV', () => {
    const [rv, myo, lv] = mean.nonexpert1.map((d) => 1 - d);
    expect(myo).toBeGreaterThan(lv);
    expect(rv).toBeGreaterThan(lv);
  });

  it('replays: same truth, image, model and seed give the same bytes', () => {
    const p = cardiacPhantom({ group: 'ARV', frames: 2, seed: 1 });
    const truth = extractFrame(p.labels, 0);
    const image = extractFrame(p.image!, 0);
    const a = applyRater(truth, image, CARDIAC_RATERS.nonexpert1, 5);
    const b = applyRater(truth, image, CARDIAC_RATERS.nonexpert1, 5);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('refuses an image-guided model without the image', () => {
    const p = cardiacPhantom({ group: 'NOR', frames: 2, seed: 1, image: false });
    expect(() => applyRater(extractFrame(p.labels, 0), null, CARDIAC_RATERS.nonexpert1, 1)).toThrow(/needs the image/);
  });
});

describe('Morpho-MNIST raters', () => {
  it('orders coverage (rater voxels / truth voxels) under < good ≈ 1 < over, and blank is empty', () => {
    const digits = mnistDigits({ count: 100, seed: 2 });
    const coverage: Record<string, number> = {};
    for (const name of Object.keys(MNIST_RATERS) as (keyof typeof MNIST_RATERS)[]) {
      let rater = 0;
      let truth = 0;
      digits.forEach((d, n) => {
        rater += applyRater(d.truth, d.image, MNIST_RATERS[name], n).data.reduce((s, v) => s + v, 0);
        truth += d.truth.data.reduce((s, v) => s + v, 0);
      });
      coverage[name] = rater / truth;
    }
    expect(coverage.under).toBeLessThan(0.8);
    expect(Math.abs(coverage.good - 1)).toBeLessThan(0.05);
    expect(coverage.over).toBeGreaterThan(1.5);
    expect(coverage.wrong).toBeGreaterThan(1.2);
    expect(coverage.blank).toBe(0);
  });

  it('fractures the wrong rater: fewer voxels than the same thickening without fractures', () => {
    const [d] = mnistDigits({ count: 1, seed: 8 });
    const thick = applyRater(d.truth, null, { name: 't', description: '', steps: [MNIST_RATERS.wrong.steps[0]] }, 1);
    const wrong = applyRater(d.truth, null, MNIST_RATERS.wrong, 1);
    expect(wrong.data.reduce((s, v) => s + v, 0)).toBeLessThan(thick.data.reduce((s, v) => s + v, 0));
  });
});

describe('harsh MNIST raters', () => {
  it("land near the published annotators' statistics against the truth: area ×2.9 / ×0.32 / ×2.0, Dice 0.51 / 0.42 / 0.53, majority 0.56", () => {
    // Zhang et al.'s published annotators on 100 digits; ours on 200 others. Dice: the mean over digits; area: pooled.
    const published = {
      over: { area: 2.9, dice: 0.51 },
      under: { area: 0.32, dice: 0.42 },
      wrong: { area: 2.0, dice: 0.53 },
    };
    const digits = mnistDigits({ count: 200, seed: 2 });
    const names = ['over', 'under', 'wrong'] as const;
    const area = { over: 0, under: 0, wrong: 0 };
    const diceSum = { over: 0, under: 0, wrong: 0 };
    let truthArea = 0;
    let majoritySum = 0;
    digits.forEach((d, n) => {
      const labels = names.map((name) => applyRater(d.truth, d.image, MNIST_HARSH_RATERS[name], n).data);
      names.forEach((name, k) => {
        area[name] += labels[k].reduce((s, v) => s + v, 0);
        diceSum[name] += dice(labels[k], d.truth.data, 1);
      });
      truthArea += d.truth.data.reduce((s, v) => s + v, 0);
      majoritySum += dice(
        d.truth.data.map((_, v) => (labels[0][v] + labels[1][v] + labels[2][v] >= 2 ? 1 : 0)),
        d.truth.data,
        1,
      );
    });
    for (const name of names) {
      expect(area[name] / truthArea / published[name].area, name).toBeGreaterThan(0.9);
      expect(area[name] / truthArea / published[name].area, name).toBeLessThan(1.1);
      expect(Math.abs(diceSum[name] / digits.length - published[name].dice), name).toBeLessThan(0.03);
    }
    expect(Math.abs(majoritySum / digits.length - 0.56)).toBeLessThan(0.03);
  });
});

describe('mandible raters and expert styles', () => {
  const p = headneckPhantom({ seed: 4 });

  it('makes the dosimetrist worse than the expert and includes teeth (bright voxels the truth leaves out) in some cases only', () => {
    const expert = applyRater(p.labels, p.image, HEADNECK_RATERS.expert, 1);
    const rough = applyRater(p.labels, p.image, HEADNECK_RATERS.dosimetrist, 1);
    expect(dice(expert.data, p.labels.data, 1)).toBeGreaterThan(dice(rough.data, p.labels.data, 1));
    const teeth = [1, 2, 3, 4, 5, 6].map((seed) => {
      const r = applyRater(p.labels, p.image, HEADNECK_RATERS.dosimetrist, seed).data;
      let n = 0;
      for (let v = 0; v < p.image.data.length; v++) if (r[v] && !p.labels.data[v] && p.image.data[v] > 1500) n++;
      return n;
    });
    expect(Math.max(...teeth)).toBeGreaterThan(50);
    expect(Math.min(...teeth)).toBeLessThan(Math.max(...teeth) / 4);
  });

  it('gives N styles with consistent names and one outlier farthest from the truth', () => {
    const styles = expertStyles(4, { regions: CARDIAC_REGIONS });
    expect(styles.map((s) => s.name)).toEqual(['style1', 'style2', 'style3', 'style4']);
    expect(expertStyles(4, { regions: CARDIAC_REGIONS })).toEqual(styles);
    const q = cardiacPhantom({ group: 'NOR', frames: 2, seed: 6 });
    const truth = extractFrame(q.labels, 0);
    const scores = styles.map((s, n) => dice(applyRater(truth, null, s, n).data, truth.data, 2));
    expect(Math.min(...scores)).toBe(scores[3]);
  });
});
