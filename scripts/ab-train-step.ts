/**
 * A/B timing of the pinned U-Net's training step under two session settings, alternating step by step so load
 * drift hits both alike. Usage: npx tsx scripts/ab-train-step.ts [size] [batch] [steps]
 */
import {
  adam,
  crossEntropy,
  Graph,
  initParams,
  int64,
  TrainingSession,
  type SessionOptions,
  type TensorData,
} from '../src/nn/index.ts';
import { benchUnet } from '../src/bench/index.ts';
import { printAlternating } from './bench-timing.ts';

const [size, batch, steps] = [128, 8, 6].map((d, i) => Number(process.argv[2 + i] ?? d));
const variants: [string, SessionOptions][] = [
  ['spinning', { threads: 2 }],
  ['no spinning', { threads: 2, spinning: false }],
];

async function trainer(options: SessionOptions): Promise<TrainingSession> {
  const g = new Graph();
  const loss = crossEntropy(
    benchUnet(g.input('x', 'float32', [batch, 1, size, size]), true),
    g.input('target', 'int64', [batch, size, size]),
  );
  return TrainingSession.create(g, loss, { ...options, optimizer: adam(), params: initParams(g, 0) });
}

const x: TensorData = {
  dtype: 'float32',
  shape: [batch, 1, size, size],
  data: Float32Array.from({ length: batch * size * size }, () => Math.random()),
};
const target = int64(
  Array.from({ length: batch * size * size }, (_, i) => i % 4),
  [batch, size, size],
);
const sessions = await Promise.all(variants.map(([, o]) => trainer(o)));
await printAlternating(variants, sessions, steps, (s) => s.step({ x, target }, 1e-3));
