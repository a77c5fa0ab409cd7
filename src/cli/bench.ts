/**
 * `multirater bench`: times the neural engine on the pinned 2-D U-Net (src/nn/bench.ts) or, with `--model`, a
 * registered 3D network on one patch (src/train/model-bench.ts).
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
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
    .description('Time a training step and an inference pass of the pinned 2-D U-Net (or --model NAME on a 3D patch) on ONNX Runtime.')
    .option('--json', 'print JSON')
    .option('--size <pixels>', 'image side in pixels', positiveInt('--size'), 128)
    .option('--batch <n>', 'images per batch', positiveInt('--batch'), 8)
    .option('--threads <n>', 'ONNX Runtime threads', positiveInt('--threads'), 2)
    .option('--model <name>', 'a registered 3D network instead (highres3dnet, unet3d): batch 1 unless --batch is given')
    .option('--patch <voxels>', 'with --model: cubic patch side in voxels', positiveInt('--patch'), 48)
    .action(async (opts: { json?: boolean; size: number; batch: number; threads: number; model?: string; patch: number }, command: Command) => {
      if (opts.model !== undefined) {
        const { benchModel } = await import('../train/model-bench.ts');
        const batch = command.getOptionValueSource('batch') === 'cli' ? opts.batch : 1;
        const r = await benchModel({ model: opts.model, patch: opts.patch, batch, threads: opts.threads });
        if (opts.json) return printJson({ ...r });
        const gib = (r.peakRssBytes / 2 ** 30).toFixed(2);
        process.stdout.write(
          `${r.model} ${r.batch}×1×${r.patch}³, ${r.params} parameters, ${r.threads} threads\n` +
            `training step  ${r.trainStepSeconds.toFixed(3)} s (median)\ninference      ${r.inferenceSeconds.toFixed(3)} s (median)\npeak RSS       ${gib} GiB\n`,
        );
        return;
      }
      const { runBench } = await import('../nn/index.ts');
      const r = await runBench({ size: opts.size, batch: opts.batch, threads: opts.threads });
      if (opts.json) {
        printJson({ trainStepSeconds: r.trainStepSeconds, inferenceSeconds: r.inferenceSeconds, params: r.params, threads: r.threads, size: r.size, batch: r.batch });
      } else {
        process.stdout.write(
          `U-Net ${r.batch}×1×${r.size}×${r.size}, ${r.params} parameters, ${r.threads} threads\n` +
            `training step  ${r.trainStepSeconds.toFixed(3)} s (median)\ninference      ${r.inferenceSeconds.toFixed(3)} s (median)\n`,
        );
      }
    });
}
