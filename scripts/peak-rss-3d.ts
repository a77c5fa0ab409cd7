/**
 * Peak resident memory of one training step of a registered 3D network on a cubic patch (batch 1, as
 * `multirater bench --model`), measured in a fresh process so nothing else has raised the high-water mark.
 * Usage: npx tsx scripts/peak-rss-3d.ts [model=highres3dnet] [patch=96] [threads=2]
 */
import { getModel } from '../src/models/builtins.ts';
import { adam, Graph, initParams, TrainingSession } from '../src/nn/index.ts';
import { binaryCrossEntropy } from '../src/losses/losses.ts';

const model = process.argv[2] ?? 'highres3dnet';
const [patch, threads] = [96, 2].map((d, i) => Number(process.argv[3 + i] ?? d));
const spec = getModel(model);
const classes = spec.infoClasses === 1 ? 1 : 2;
const n = patch ** 3;
const g = new Graph();
const logits = spec.build(g.input('x', 'float32', [1, 1, patch, patch, patch]), classes, true, spec.defaults);
const loss = binaryCrossEntropy(logits, g.input('target', 'uint8', [1, patch, patch, patch]));
const session = await TrainingSession.create(g, loss, { optimizer: adam(), params: initParams(g, 0), threads });
const before = process.resourceUsage().maxRSS;
const t0 = performance.now();
await session.step(
  {
    x: { dtype: 'float32', shape: [1, 1, patch, patch, patch], data: new Float32Array(n).map(() => Math.random()) },
    target: { dtype: 'uint8', shape: [1, patch, patch, patch], data: new Uint8Array(n) },
  },
  1e-4,
);
const seconds = (performance.now() - t0) / 1000;
await session.release();
const gib = (kb: number) => kb / 2 ** 20;
process.stdout.write(
  JSON.stringify({
    model,
    patch,
    threads,
    stepSeconds: seconds,
    peakRssGiB: gib(process.resourceUsage().maxRSS),
    rssBeforeStepGiB: gib(before),
  }) + '\n',
);
