import { describe, expect, it } from 'vitest';
import type { Case } from '../datasets/dataset.ts';
import { createVolume } from '../volume/volume.ts';
import {
  cardiacIndexErrors,
  cardiacIndexNamesFor,
  cardiacIndices,
  cardiacLabelsOf,
  cardiacVolumes,
  subjectFrames,
} from './clinical.ts';
import { evaluatePair } from './evaluate-pair.ts';
import { regionDice, slicePositions } from './slice-position.ts';
import { mapWithCounts as labelMap } from '../../test/label-counts.ts';

// 8×8×6 grid of 1.25 × 1.25 × 10 mm voxels: one voxel is 15.625 mm³, so 64 voxels = 1 mL.
const SHAPE = [8, 8, 6];
const SPACING = [1.25, 1.25, 10];

const mapWithCounts = (counts: Record<number, number>) => labelMap(SHAPE, SPACING, counts);

const ACDC = { '1': 'RV', '2': 'MYO', '3': 'LV' };

describe('cardiac clinical indices', () => {
  it('finds the cardiac labels by name', () => {
    expect(cardiacLabelsOf(ACDC)).toEqual({ rv: 1, myo: 2, lv: 3 });
    expect(cardiacLabelsOf({ '1': 'lv', '2': 'Myo', '3': 'rv' })).toEqual({ lv: 1, myo: 2, rv: 3 });
    expect(cardiacLabelsOf({ '1': 'mandible' })).toBeNull();
    // LV-only and LV + myocardium datasets (animal studies), under their long names too.
    expect(cardiacLabelsOf({ '1': 'LV cavity' })).toEqual({ lv: 1, myo: null, rv: null });
    expect(cardiacLabelsOf({ '1': 'Left ventricle', '2': 'myocardium' })).toEqual({ lv: 1, myo: 2, rv: null });
    expect(cardiacLabelsOf({ '1': 'MYO', '2': 'RV' })).toBeNull();
  });

  it('computes the indices the labels allow and leaves the others null', () => {
    const lvOnly = { lv: 1, myo: null, rv: null };
    expect(cardiacIndexNamesFor(lvOnly)).toEqual(['lvEdv_mL', 'lvEsv_mL', 'lvSv_mL', 'lvEf_pct']);
    expect(cardiacIndexNamesFor({ lv: 1, myo: 2, rv: null })).toEqual([
      'lvEdv_mL',
      'lvEsv_mL',
      'lvSv_mL',
      'lvEf_pct',
      'myoMass_g',
    ]);
    // LV 2000 / 800 mm³ = 2 / 0.8 mL → SV 1.2 mL, EF 60 %.
    const ed = cardiacVolumes({ '1': 2000, '2': 500 }, lvOnly);
    expect(ed).toEqual({ lv_mL: 2, myo_mL: null, rv_mL: null });
    const indices = cardiacIndices(ed, cardiacVolumes({ '1': 800 }, lvOnly));
    expect(indices).toEqual({
      lvEdv_mL: 2,
      lvEsv_mL: 0.8,
      lvSv_mL: 1.2,
      lvEf_pct: 60,
      rvEdv_mL: null,
      rvEsv_mL: null,
      rvSv_mL: null,
      rvEf_pct: null,
      myoMass_g: null,
    });
    expect(cardiacIndexErrors(indices, indices).absolute).toMatchObject({
      lvEf_pct: 0,
      rvEf_pct: null,
      myoMass_g: null,
    });
  });

  it('computes EDV, ESV, SV, EF and mass from a hand-built volume', () => {
    // Reference ED: RV 32 voxels (0.5 mL), MYO 40 (0.625 mL), LV 64 (1 mL); ES: RV 16 (0.25 mL), LV 24 (0.375 mL).
    // Prediction ED: LV 72 voxels (1.125 mL), rest as reference.
    const refEd = mapWithCounts({ 1: 32, 2: 40, 3: 64 });
    const refEs = mapWithCounts({ 1: 16, 2: 40, 3: 24 });
    const predEd = mapWithCounts({ 1: 32, 2: 40, 3: 72 });
    const labels = cardiacLabelsOf(ACDC)!;
    const ed = evaluatePair(predEd, refEd, { labels: [1, 2, 3] }).labels;
    const es = evaluatePair(refEs, refEs, { labels: [1, 2, 3] }).labels;
    const vol = (m: typeof ed, key: 'volumePred_mm3' | 'volumeRef_mm3') =>
      Object.fromEntries(Object.entries(m).map(([l, v]) => [l, v[key]]));
    const ref = cardiacIndices(
      cardiacVolumes(vol(ed, 'volumeRef_mm3'), labels),
      cardiacVolumes(vol(es, 'volumeRef_mm3'), labels),
    );
    const pred = cardiacIndices(
      cardiacVolumes(vol(ed, 'volumePred_mm3'), labels),
      cardiacVolumes(vol(es, 'volumePred_mm3'), labels),
    );
    expect(ref.lvEdv_mL).toBeCloseTo(1, 12);
    expect(ref.lvEsv_mL).toBeCloseTo(0.375, 12);
    expect(ref.lvSv_mL).toBeCloseTo(0.625, 12);
    expect(ref.lvEf_pct).toBeCloseTo(62.5, 12);
    expect(ref.rvEf_pct).toBeCloseTo(50, 12);
    expect(ref.myoMass_g).toBeCloseTo(0.625 * 1.05, 12);
    // Predicted EF = 100·(1.125 − 0.375)/1.125 = 66.667 %, 4.1667 points above the reference.
    const err = cardiacIndexErrors(pred, ref);
    expect(err.signed.lvEdv_mL).toBeCloseTo(0.125, 12);
    expect(err.signed.lvEf_pct).toBeCloseTo(200 / 3 - 62.5, 10);
    expect(err.absolute.lvEf_pct).toBeCloseTo(200 / 3 - 62.5, 10);
    expect(err.signed.myoMass_g).toBeCloseTo(0, 12);
  });

  it('gives a null EF when the end-diastolic volume is zero', () => {
    expect(cardiacIndices({ lv_mL: 0, myo_mL: 1, rv_mL: 1 }, { lv_mL: 0, myo_mL: 1, rv_mL: 0.5 }).lvEf_pct).toBeNull();
  });

  it('pairs ED and ES cases per subject', () => {
    const c = (id: string, subject: string | undefined, frame: Case['meta']['frame']): Case => ({
      id,
      raters: {},
      meta: { subject, frame },
    });
    const pairs = subjectFrames([
      c('b-es', 'b', 'ES'),
      c('a-ed', 'a', 'ED'),
      c('b-ed', 'b', 'ED'),
      c('a-3', 'a', 3),
      c('x', undefined, 'ED'),
      c('a-es', 'a', 'ES'),
      c('c-ed', 'c', 'ED'),
    ]);
    expect(pairs.map((p) => [p.subject, p.ed.id, p.es.id])).toEqual([
      ['a', 'a-ed', 'a-es'],
      ['b', 'b-ed', 'b-es'],
    ]);
  });
});

describe('slice positions', () => {
  it('splits the slices holding the structure into thirds, the fuller end being the base', () => {
    // 2×2×9 grid; slices 1..7 hold the structure (m = 7): ⌊3t/7⌋ → t 0–2 first third, 3–4 mid, 5–6 last.
    // Slices 1–3 hold 4 voxels each, 4–7 one each: the first third is fuller, so it is the base.
    const data = new Uint8Array(36);
    for (let s = 1; s <= 7; s++) for (let v = 0; v < (s <= 3 ? 4 : 1); v++) data[4 * s + v] = 1;
    const ref = createVolume([2, 2, 9], data, { spacing: [1, 1, 1] });
    expect(slicePositions(ref)).toEqual([null, 'base', 'base', 'base', 'mid', 'mid', 'apex', 'apex', null]);
    expect(slicePositions(ref, { baseAt: 'last' })).toEqual([
      null,
      'apex',
      'apex',
      'apex',
      'mid',
      'mid',
      'base',
      'base',
      null,
    ]);
    const flipped = createVolume(
      [2, 2, 9],
      Uint8Array.from({ length: 36 }, (_, i) => data[4 * (8 - Math.floor(i / 4)) + (i % 4)]),
      { spacing: [1, 1, 1] },
    );
    expect(slicePositions(flipped)[7]).toBe('base');
  });

  it('computes Dice per region', () => {
    // Reference: one voxel of label 1 in slices 0, 1 and 2 of a 2×1×3 grid (one slice per third, base first by tie);
    // prediction misses the apex voxel and adds a second voxel in the base slice.
    const ref = createVolume([2, 1, 3], Uint8Array.from([1, 0, 1, 0, 1, 0]), { spacing: [1, 1, 1] });
    const pred = createVolume([2, 1, 3], Uint8Array.from([1, 1, 1, 0, 0, 0]), { spacing: [1, 1, 1] });
    const positions = slicePositions(ref);
    expect(positions).toEqual(['base', 'mid', 'apex']);
    // base: TP 1, |P| 2, |R| 1 → 2/3; mid: 1; apex: TP 0, |P| 0, |R| 1 → 0.
    expect(regionDice(pred, ref, [1], positions)).toEqual({ base: { '1': 2 / 3 }, mid: { '1': 1 }, apex: { '1': 0 } });
  });
});
