/**
 * Per-operator time of the pinned U-Net's training step (or, given a model name, a registered 3D network's on a
 * cubic patch of `size`, as `multirater bench --model`), from ONNX Runtime's profiler: the tool behind the
 * lowering choices in src/nn/ops/conv-grad.ts.
 * `--infer` (with a model) profiles its inference pass instead (running statistics, parameters as initialisers).
 * Usage: npx tsx scripts/profile-train-step.ts [size] [batch] [threads] [model] [--infer]
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { getModel } from '../src/models/builtins.ts';
import { benchUnet } from '../src/bench/index.ts';
import { buildTrainStep, crossEntropy, Graph, initParams, adam, toOnnxModel } from '../src/nn/index.ts';
import { binaryCrossEntropy } from '../src/losses/losses.ts';

const args = process.argv.slice(2).filter((a) => a !== '--infer');
const inferOnly = args.length < process.argv.length - 2;
const [size, batch, threads] = [128, 8, 2].map((d, i) => Number(args[i] ?? d));
const model = args[3];
const spatial = model === undefined ? [size, size] : [size, size, size];
const g = new Graph();
const xIn = g.input('x', 'float32', [batch, 1, ...spatial]);
const targetIn = g.input('target', 'int64', [batch, ...spatial]);
const network = model === undefined ? null : getModel(model);
const loss =
  network === null
    ? crossEntropy(benchUnet(xIn, true), targetIn)
    : network.infoClasses === 1
      ? binaryCrossEntropy(network.build(xIn, 1, true, network.defaults), targetIn)
      : crossEntropy(network.build(xIn, 2, true, network.defaults), targetIn);
const voxels = batch * spatial.reduce((a, b) => a * b, 1);
const params = initParams(g, 0);
const spec = buildTrainStep(g, loss, { optimizer: adam() });
let onnxModel = spec.model;
if (inferOnly && network !== null) {
  const ig = new Graph();
  const logits = network.build(
    ig.input('x', 'float32', [batch, 1, ...spatial]),
    network.infoClasses === 1 ? 1 : 2,
    false,
    network.defaults,
  );
  onnxModel = toOnnxModel(ig, { outputs: { logits }, initializers: initParams(ig, 0) });
}
const session = await ort.InferenceSession.create(onnxModel, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  enableProfiling: true,
  profileFilePrefix: join(tmpdir(), 'multirater-profile'),
});
const byInput = new Map<string, { shape: number[]; data: Float32Array }>();
for (const [name, input] of spec.paramInputs) {
  const p = g.params.get(name);
  if (p) byInput.set(input, { shape: p.value.staticShape, data: params.get(name) as Float32Array });
}
for (const [key, [input]] of spec.state) {
  const p = g.params.get(spec.stateParam.get(key) as string);
  if (p)
    byInput.set(input, {
      shape: p.value.staticShape,
      data: new Float32Array(p.value.staticShape.reduce((a, b) => a * b, 1)),
    });
}
const feeds: Record<string, ort.Tensor> = {};
for (const name of session.inputNames) {
  const known = byInput.get(name);
  if (known) feeds[name] = new ort.Tensor('float32', known.data, known.shape);
  else if (name === 'x')
    feeds[name] = new ort.Tensor(
      'float32',
      new Float32Array(voxels).map(() => Math.random()),
      [batch, 1, ...spatial],
    );
  else if (name === 'target') feeds[name] = new ort.Tensor('int64', new BigInt64Array(voxels), [batch, ...spatial]);
  else feeds[name] = new ort.Tensor('float32', Float32Array.of(0.5), []);
}
for (let i = 0; i < 3; i++) {
  // Kernel times below are averaged over these three steps.
  const t0 = performance.now();
  await session.run(feeds);
  process.stdout.write(`step ${i}: ${((performance.now() - t0) / 1000).toFixed(3)} s\n`);
}
session.endProfiling();
await session.release();
// onnxruntime-node writes `<prefix>_<timestamp>.json` and does not return the name.
const file = readdirSync(tmpdir())
  .filter((f) => f.startsWith('multirater-profile_'))
  .map((f) => join(tmpdir(), f))
  .sort()
  .pop() as string;
interface Event {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; output_type_shape?: unknown; input_type_shape?: unknown };
}
const events: Event[] = JSON.parse(readFileSync(file, 'utf8'));
rmSync(file);
const byOp = new Map<string, number>();
const byNode = new Map<string, number>();
let total = 0;
for (const e of events) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const op = e.args?.op_name ?? '?';
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 3);
  const key = `${op} in ${JSON.stringify(e.args?.input_type_shape)} out ${JSON.stringify(e.args?.output_type_shape)}`;
  byNode.set(key, (byNode.get(key) ?? 0) + e.dur / 3);
  total += e.dur / 3;
}
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`${op.padEnd(24)} ${(us / 1e6).toFixed(3)} s  ${((100 * us) / total).toFixed(1)} %\n`);
process.stdout.write('\nslowest nodes:\n');
for (const [k, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 30))
  process.stdout.write(`${(us / 1e3).toFixed(1).padStart(8)} ms  ${k}\n`);
