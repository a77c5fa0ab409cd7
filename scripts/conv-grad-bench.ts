/**
 * Times each convolution-gradient lowering of src/nn/ops/conv-grad.ts on the pinned U-Net's layer shapes, each as
 * its own ONNX Runtime graph, interleaved round by round so machine load hits all alike. Prints median ms of the
 * forward Conv, the input gradient (flipped-weight Conv vs ConvTranspose) and each weight-gradient lowering.
 * Usage: npx tsx scripts/conv-grad-bench.ts [batch] [size] [threads] [rounds]
 */
import { conv, convInputGrad, convTranspose, convWeightGrad, Graph, Session, toOnnxModel, type TensorData, type Value, type WeightGradLowering } from '../src/nn/index.ts';

const [batch, size, threads, rounds] = [8, 128, 2, 5].map((d, i) => Number(process.argv[2 + i] ?? d));

/** [input channels, output channels, resolution divisor] of the U-Net's 3×3 convolutions. */
const layers: [number, number, number][] = [
  [32, 32, 1],
  [64, 32, 1],
  [32, 64, 2],
  [64, 64, 2],
  [128, 64, 2],
  [64, 128, 4],
  [128, 128, 4],
  [256, 128, 4],
  [128, 256, 8],
  [256, 256, 8],
];
const weightLowerings: WeightGradLowering[] = ['shift-x', 'shift-dy', 'shift-split', 'textbook'];
const geometry = { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 };
type Build = (x: Value, dy: Value, w: Value) => Value;
const lowerings: [string, Build][] = [
  ['forward', (x, _dy, w) => conv(x, w, null, geometry)],
  ['dx flip-conv', (x, dy, w) => convInputGrad(dy, w, x, geometry)],
  ['dx convT', (_x, dy, w) => convTranspose(dy, w, null, geometry)],
  ...weightLowerings.map((l): [string, Build] => [`dw ${l}`, (x, dy, w) => convWeightGrad(x, dy, w, geometry, l)]),
];

function random(shape: number[]): TensorData {
  return { dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.random() - 0.5) };
}

for (const [c, m, div] of layers) {
  const res = size / div;
  const feeds = { x: random([batch, c, res, res]), dy: random([batch, m, res, res]), w: random([m, c, 3, 3]) };
  const sessions = new Map<string, Session>();
  for (const [how, build] of lowerings) {
    const g = new Graph();
    const out = build(g.input('x', 'float32', feeds.x.shape), g.input('dy', 'float32', feeds.dy.shape), g.input('w', 'float32', feeds.w.shape));
    sessions.set(how, await Session.create(toOnnxModel(g, { outputs: { out } }), { threads }));
  }
  const times = new Map<string, number[]>(lowerings.map(([h]) => [h, []]));
  for (let r = 0; r < rounds + 1; r++) {
    for (const [how] of lowerings) {
      const t0 = performance.now();
      const s = sessions.get(how) as Session;
      await s.run(Object.fromEntries(s.inputNames.map((k) => [k, feeds[k as 'x' | 'dy' | 'w']])));
      if (r > 0) (times.get(how) as number[]).push(performance.now() - t0);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const row = lowerings.map(([h]) => `${h} ${med(times.get(h) as number[]).toFixed(1)}`).join(' | ');
  process.stdout.write(`x ${batch}×${c}×${res}², dy ${batch}×${m}×${res}²: ${row} ms\n`);
  for (const s of sessions.values()) await s.release();
}
