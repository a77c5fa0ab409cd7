/** `multirater bench [--model NAME]`: times the neural engine on the pinned U-Net or a registered network (see src/nn/bench.ts). */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import type { BenchOptions } from '../nn/bench.ts';
import { runBench } from '../nn/index.ts';
import { printJson } from './output.ts';

function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new MultiraterError('invalid_argument', `${flag} must be a positive integer, got '${v}'`);
    return n;
  };
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('Time a training step and an inference pass of the pinned 2-D U-Net on ONNX Runtime.')
    .option('--json', 'print JSON')
    .option('--size <pixels>', 'image side in pixels', positiveInt('--size'), 128)
    .option('--batch <n>', 'images per batch', positiveInt('--batch'), 8)
    .option('--threads <n>', 'ONNX Runtime threads', positiveInt('--threads'), 2)
    .option('--model <name>', 'a registered network (4 classes, its default options) instead of the pinned U-Net')
    .action(async (opts: { json?: boolean; size: number; batch: number; threads: number; model?: string }) => {
      let build: BenchOptions['build'];
      if (opts.model !== undefined) {
        const { getModel } = await import('../models/builtins.ts');
        const spec = getModel(opts.model);
        if (spec.dims !== 2) throw new MultiraterError('invalid_argument', `bench: --model ${opts.model} is 3D; the benchmark times 2D networks`);
        if (opts.size % spec.divisor(spec.defaults) !== 0) throw new MultiraterError('invalid_argument', `bench: --size must be a multiple of ${spec.divisor(spec.defaults)} for ${opts.model}, got ${opts.size}`);
        build = (x, training) => spec.build(x, 4, training, spec.defaults);
      }
      const r = await runBench({ size: opts.size, batch: opts.batch, threads: opts.threads, build });
      const model = opts.model ?? 'U-Net';
      if (opts.json) {
        printJson({ ...(opts.model !== undefined ? { model } : {}), trainStepSeconds: r.trainStepSeconds, inferenceSeconds: r.inferenceSeconds, params: r.params, threads: r.threads, size: r.size, batch: r.batch });
      } else {
        process.stdout.write(
          `${model} ${r.batch}×1×${r.size}×${r.size}, ${r.params} parameters, ${r.threads} threads\n` +
            `training step  ${r.trainStepSeconds.toFixed(3)} s (median)\ninference      ${r.inferenceSeconds.toFixed(3)} s (median)\n`,
        );
      }
    });
}
