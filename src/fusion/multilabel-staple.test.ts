import { describe, expect, it } from 'vitest';
import { fusionCases, fusionVolume } from '../../test/fusion-cases.ts';
import { multiLabelStaple } from './multilabel-staple.ts';

const cases = fusionCases().filter((c) => c.itkMultiLabelStaple);

describe('multiLabelStaple against ITK MultiLabelSTAPLEImageFilter (fixtures/fusion)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: agrees with ITK on at least 99.5 % of voxels', (_, c) => {
    const result = multiLabelStaple(c.raters.map(fusionVolume), { names: c.raters });
    const itk = fusionVolume(c.itkMultiLabelStaple!.labels).data;
    let same = 0;
    for (let i = 0; i < itk.length; i++) if (result.labels.data[i] === itk[i]) same++;
    expect(same / itk.length).toBeGreaterThanOrEqual(0.995);
    expect(result.converged).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: confusion-matrix columns sum to 1 (columns = true label)',
    (_, c) => {
      const result = multiLabelStaple(c.raters.map(fusionVolume), { seed: 'columns' });
      for (const r of result.raters) {
        const cm = r.confusionMatrix!;
        for (let j = 0; j < cm.length; j++) {
          const column = cm.reduce((s, row) => s + row[j], 0);
          expect(column).toBeCloseTo(1, 12);
        }
      }
    },
  );
});

describe('multiLabelStaple with restrictToDisagreement', () => {
  it('keeps every consensus voxel at the label all raters gave it', () => {
    const c = cases[0];
    const raters = c.raters.map(fusionVolume);
    const result = multiLabelStaple(raters, { restrictToDisagreement: true });
    let moved = 0;
    for (let v = 0; v < result.labels.data.length; v++) {
      const first = raters[0].data[v];
      if (raters.every((r) => r.data[v] === first) && result.labels.data[v] !== first) moved++;
    }
    expect(moved).toBe(0);
  });
});
