/**
 * A/B timing of the pinned U-Net's inference under two session settings, alternating run by run so load drift hits
 * both alike. Usage: npx tsx scripts/ab-inference.ts [size] [batch] [runs]
 */
import { benchUnet } from '../src/bench/index.ts';
import { printAlternating } from './bench-timing.ts';
import { Graph, initParams, Session, toOnnxModel, type SessionOptions, type TensorData } from '../src/nn/index.ts';

const [size, batch, runs] = [128, 8, 9].map((d, i) => Number(process.argv[2 + i] ?? d));
const variants: [string, SessionOptions][] = [
  ['spinning', { threads: 2 }],
  ['no spinning', { threads: 2, spinning: false }],
];
const g = new Graph();
const logits = benchUnet(g.input('x', 'float32', [batch, 1, size, size]), false);
const model = toOnnxModel(g, { outputs: { logits }, initializers: initParams(g, 0) });
const x: TensorData = {
  dtype: 'float32',
  shape: [batch, 1, size, size],
  data: Float32Array.from({ length: batch * size * size }, () => Math.random()),
};
const sessions = await Promise.all(variants.map(([, o]) => Session.create(model, o)));
await printAlternating(variants, sessions, runs, (s) => s.run({ x }));
