/** The benchmark network is the pinned U-Net: PyTorch's script counts 1,927,940 parameters for it. */
import { describe, expect, it } from 'vitest';
import { runBench } from './bench.ts';

describe('runBench', () => {
  it('runs the pinned U-Net (1,927,940 parameters, as PyTorch counts) on a small input and reports medians', async () => {
    const r = await runBench({ size: 16, batch: 2, threads: 1, warmup: 0, repeats: 5 });
    expect(r.params).toBe(1927940);
    expect({ size: r.size, batch: r.batch, threads: r.threads }).toEqual({ size: 16, batch: 2, threads: 1 });
    expect(Number.isFinite(r.trainStepSeconds) && r.trainStepSeconds > 0).toBe(true);
    expect(Number.isFinite(r.inferenceSeconds) && r.inferenceSeconds > 0).toBe(true);
  });
});
