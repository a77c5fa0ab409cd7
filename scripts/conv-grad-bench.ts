/**
 * Times each convolution-gradient lowering of src/nn/ops/conv-grad.ts on the pinned U-Net's layer shapes, each as
 * its own ONNX Runtime graph, interleaved round by round so machine load hits all alike. Prints median ms.
 * Usage: npx tsx scripts/conv-grad-bench.ts [batch] [size] [threads] [rounds]
 */
import { convWeightGrad, Graph, Session, toOnnxModel, type TensorData, type WeightGradLowering } from '../src/nn/index.ts';

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
const lowerings: WeightGradLowering[] = ['shift-x', 'shift-dy', 'textbook'];

function random(shape: number[]): TensorData {
  return { dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.random() - 0.5) };
}

for (const [c, m, div] of layers) {
  const res = size / div;
  const feeds = { x: random([batch, c, res, res]), dy: random([batch, m, res, res]) };
  const sessions = new Map<WeightGradLowering, Session>();
  for (const how of lowerings) {
    const g = new Graph();
    const x = g.input('x', 'float32', feeds.x.shape);
    const dy = g.input('dy', 'float32', feeds.dy.shape);
    const w = g.input('w', 'float32', [m, c, 3, 3]);
    const dw = convWeightGrad(x, dy, w, { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 }, how);
    sessions.set(how, await Session.create(toOnnxModel(g, { outputs: { dw } }), { threads }));
  }
  const times = new Map<WeightGradLowering, number[]>(lowerings.map((h) => [h, []]));
  for (let r = 0; r < rounds + 1; r++) {
    for (const how of lowerings) {
      const t0 = performance.now();
      await (sessions.get(how) as Session).run(feeds);
      if (r > 0) (times.get(how) as number[]).push(performance.now() - t0);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const row = lowerings.map((h) => `${h} ${med(times.get(h) as number[]).toFixed(1)}`).join('  ');
  process.stdout.write(`x ${batch}×${c}×${res}², dy ${batch}×${m}×${res}²: ${row} ms\n`);
  for (const s of sessions.values()) await s.release();
}
