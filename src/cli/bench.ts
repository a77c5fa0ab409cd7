/** `multirater bench`: times the neural engine on the pinned U-Net (see src/nn/bench.ts). */
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
    .description('Time a training step and an inference pass of the pinned 2-D U-Net on ONNX Runtime.')
    .option('--json', 'print JSON')
    .option('--size <pixels>', 'image side in pixels', positiveInt('--size'), 128)
    .option('--batch <n>', 'images per batch', positiveInt('--batch'), 8)
    .option('--threads <n>', 'ONNX Runtime threads', positiveInt('--threads'), 2)
    .action(async (opts: { json?: boolean; size: number; batch: number; threads: number }) => {
      const { runBench } = await import('../nn/bench.ts');
      // Progress on stderr (stdout stays JSON with --json): the first session build alone takes several seconds.
      const r = await runBench({ size: opts.size, batch: opts.batch, threads: opts.threads, onProgress: (m) => process.stderr.write(`bench: ${m}\n`) });
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
