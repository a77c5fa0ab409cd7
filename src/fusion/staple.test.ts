import { describe, expect, it } from 'vitest';
import { fusionCases, fusionVolume } from '../../test/fusion-cases.ts';
import { staple } from './staple.ts';

const binaryCases = fusionCases().filter((c) => c.itkStaple);

describe('staple against ITK STAPLEImageFilter (fixtures/fusion)', () => {
  it.each(binaryCases.map((c) => [c.name, c] as const))('%s: probability, sensitivity and specificity match ITK', (_, c) => {
    const itk = c.itkStaple!;
    const result = staple(c.raters.map(fusionVolume), { names: c.raters });
    const reference = fusionVolume(itk.probability).data;
    const W = result.probability!.data;
    let maxAbs = 0;
    for (let i = 0; i < W.length; i++) maxAbs = Math.max(maxAbs, Math.abs(W[i] - reference[i]));
    expect(maxAbs).toBeLessThanOrEqual(0.01);
    result.raters.forEach((r, i) => {
      expect(Math.abs(r.sensitivity! - itk.sensitivity[i])).toBeLessThanOrEqual(0.005);
      expect(Math.abs(r.specificity! - itk.specificity[i])).toBeLessThanOrEqual(0.005);
    });
    expect(result.converged).toBe(true);
    // ITK's ElapsedIterations is the 0-based index of the step at which it stopped; we count steps run.
    expect(result.iterations).toBe(itk.iterations + 1);
  });
});
