import { describe, expect, it } from 'vitest';
import { boxCase } from '../../test/synthetic-cases.ts';
import { BatchLoader } from './batch-loader.ts';
import type { Batch } from './prepare-batch.ts';

const cases = [
  boxCase('a', [40, 40, 6], [1.5, 1.5, 10], [10, 12, 1], [26, 30, 5], 2),
  boxCase('b', [36, 44, 5], [1.25, 1.25, 8], [8, 20, 0], [22, 34, 4], 1),
];
const options = { patchSize: [32, 32], batchSize: 3, seed: 4 };

const bytes = (b: Batch) => [
  Buffer.from(b.image.buffer).toString('base64'),
  Buffer.from(b.label.buffer).toString('base64'),
];

async function collect(loader: BatchLoader, start: number, end: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of loader.batches({ start, end })) out.push(b);
  return out;
}

/** Stands in for an engine step: a few turns of the event loop during which the JavaScript thread is free. */
async function engineStep(turns: number): Promise<void> {
  for (let t = 0; t < turns; t++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('BatchLoader', () => {
  it('yields the same batches through the generator as one at a time', async () => {
    const loader = new BatchLoader(cases, options);
    const got = await collect(loader, 0, 4);
    expect(got.map((b) => b.iteration)).toEqual([0, 1, 2, 3]);
    got.forEach((b, k) => expect(bytes(b)).toEqual(bytes(loader.batch(k))));
  });

  it('reproduces batch k when resumed at iteration k after an interrupted run', async () => {
    const uninterrupted = await collect(new BatchLoader(cases, options), 0, 6);
    // A run that stops after iteration 2 (the process dies), then a new process resumes at 3.
    const first = new BatchLoader(cases, options);
    const before: Batch[] = [];
    for await (const b of first.batches()) {
      before.push(b);
      if (b.iteration === 2) break;
    }
    const after = await collect(new BatchLoader(cases, options), 3, 6);
    expect([...before, ...after].map(bytes)).toEqual(uninterrupted.map(bytes));
    expect([...before, ...after].map((b) => b.samples)).toEqual(uninterrupted.map((b) => b.samples));
  });

  it('prepares batch k + 1 while the caller awaits its step on batch k', async () => {
    const loader = new BatchLoader(cases, options);
    const started: number[] = [];
    const finished: number[] = [];
    const prepare = loader.prepare.bind(loader);
    loader.prepare = (k: number) => {
      started.push(k);
      return prepare(k).then((b) => {
        finished.push(k);
        return b;
      });
    };
    const it = loader.batches({ start: 5 });
    const b5 = (await it.next()).value as Batch;
    expect(b5.iteration).toBe(5);
    expect(started).toEqual([5, 6]);
    expect(finished).toEqual([5]);
    // One macrotask per sample: after batchSize + 1 turns of the loop, batch 6 is complete without being asked for.
    await engineStep(options.batchSize + 1);
    expect(finished).toEqual([5, 6]);
    const b6 = (await it.next()).value as Batch;
    expect(b6.samples).toHaveLength(options.batchSize);
    expect(started).toEqual([5, 6, 7]);
    await it.return(undefined);
  });

  it('hands out fresh arrays, so preparing the next batch never overwrites the current one', async () => {
    const loader = new BatchLoader(cases, options);
    const it = loader.batches();
    const b0 = (await it.next()).value as Batch;
    const copy = Float32Array.from(b0.image);
    const b1 = (await it.next()).value as Batch;
    await engineStep(options.batchSize + 1);
    expect(b1.image.buffer).not.toBe(b0.image.buffer);
    expect([...b0.image]).toEqual([...copy]);
    await it.return(undefined);
  });

  it('stops at end and rejects a negative start', async () => {
    const loader = new BatchLoader(cases, options);
    expect(await collect(loader, 2, 2)).toEqual([]);
    await expect(collect(loader, -1, 2)).rejects.toThrow('iteration must be a non-negative integer, got -1');
  });
});
