/**
 * Times each convolution-gradient lowering of src/nn/ops/conv-grad.ts on a network's layer shapes, each as its own
 * ONNX Runtime graph, interleaved round by round so machine load hits all alike. Prints median ms of the forward
 * Conv, the input gradient (flipped-weight Conv vs ConvTranspose) and each weight-gradient lowering.
 * Usage: npx tsx scripts/conv-grad-bench.ts [batch] [size] [threads] [rounds]          (the pinned 2-D U-Net)
 *        npx tsx scripts/conv-grad-bench.ts highres3dnet [size] [threads] [rounds]     (its dilated 3³ convs, batch 1)
 */
import {
  conv,
  convInputGrad,
  convTranspose,
  convWeightGrad,
  Graph,
  Session,
  toOnnxModel,
  type TensorData,
  type Value,
  type WeightGradLowering,
} from '../src/nn/index.ts';

const hr3d = process.argv[2] === 'highres3dnet';
const args = hr3d ? [1, ...process.argv.slice(3)] : process.argv.slice(2);
const [batch, size, threads, rounds] = [8, hr3d ? 32 : 128, 2, 5].map((d, i) => Number(args[i] ?? d));

/**
 * [input channels, output channels, resolution divisor, dilation]: the U-Net's 3×3 convolutions, or
 * HighRes3DNet's 3³ ones (full resolution; the first of a stage widens the channels).
 */
const layers: [number, number, number, number][] = hr3d
  ? [
      [16, 16, 1, 1],
      [16, 32, 1, 2],
      [32, 32, 1, 2],
      [32, 64, 1, 4],
      [64, 64, 1, 4],
    ]
  : [
      [32, 32, 1, 1],
      [64, 32, 1, 1],
      [32, 64, 2, 1],
      [64, 64, 2, 1],
      [128, 64, 2, 1],
      [64, 128, 4, 1],
      [128, 128, 4, 1],
      [256, 128, 4, 1],
      [128, 256, 8, 1],
      [256, 256, 8, 1],
    ];
const dims = hr3d ? 3 : 2;
const weightLowerings: WeightGradLowering[] = ['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather', 'textbook'];

function random(shape: number[]): TensorData {
  return {
    dtype: 'float32',
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.random() - 0.5),
  };
}

for (const [c, m, div, d] of layers) {
  const geometry = {
    strides: Array(dims).fill(1),
    pads: Array(2 * dims).fill(d),
    dilations: Array(dims).fill(d),
    group: 1,
  };
  type Build = (x: Value, dy: Value, w: Value) => Value;
  const lowerings: [string, Build][] = [
    ['forward', (x, _dy, w) => conv(x, w, null, geometry)],
    ['dx flip-conv', (x, dy, w) => convInputGrad(dy, w, x, geometry)],
    ['dx convT', (_x, dy, w) => convTranspose(dy, w, null, geometry)],
    ...weightLowerings.map((l): [string, Build] => [`dw ${l}`, (x, dy, w) => convWeightGrad(x, dy, w, geometry, l)]),
  ];
  const res = size / div;
  const sp = Array(dims).fill(res);
  const feeds = {
    x: random([batch, c, ...sp]),
    dy: random([batch, m, ...sp]),
    w: random([m, c, ...Array(dims).fill(3)]),
  };
  const sessions = new Map<string, Session>();
  for (const [how, build] of lowerings) {
    const g = new Graph();
    const out = build(
      g.input('x', 'float32', feeds.x.shape),
      g.input('dy', 'float32', feeds.dy.shape),
      g.input('w', 'float32', feeds.w.shape),
    );
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
  const dil = d === 1 ? '' : ` d${d}`;
  process.stdout.write(
    `x ${batch}×${c}×${res}${dims === 3 ? '³' : '²'}, dy ${batch}×${m}×${res}${dims === 3 ? '³' : '²'}${dil}: ${row} ms\n`,
  );
  for (const s of sessions.values()) await s.release();
}
