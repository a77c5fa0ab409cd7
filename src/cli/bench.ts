/**
 * `multirater bench [--model NAME]`: times the neural engine on the pinned 2-D U-Net or a registered 2D network
 * (src/bench/bench.ts), a registered 3D network on one patch (src/bench/model-bench.ts), or with `--model annotator-cm`
 * the annotator-CM model's training step against plain unet2d's in the same run (src/bench/annotator-bench.ts).
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import type { BenchOptions } from '../bench/index.ts';
import { printJson } from './output.ts';

function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new MultiraterError('invalid_argument', `${flag} must be a positive integer, got '${v}'`);
    return n;
  };
}

/**
 * Adds `multirater bench` to `program`: `runBench`, `benchModel` or `runAnnotatorBench`; times in seconds (medians).
 */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'Time a training step and an inference pass of the pinned 2-D U-Net, or of a registered network (--model), on ONNX Runtime.',
    )
    .option('--json', 'print JSON')
    .option('--size <pixels>', 'image side in pixels', positiveInt('--size'), 128)
    .option('--batch <n>', 'images per batch', positiveInt('--batch'), 8)
    .option('--threads <n>', 'ONNX Runtime threads', positiveInt('--threads'), 2)
    .option(
      '--model <name>',
      'a registered network instead of the pinned U-Net: 2D ones at --size (4 classes, their defaults), 3D ones (highres3dnet, unet3d) on a --patch cube, batch 1 unless --batch is given; annotator-cm: its training step against plain unet2d',
    )
    .option('--patch <voxels>', 'with a 3D --model: cubic patch side in voxels', positiveInt('--patch'), 48)
    .option('--annotators <n>', 'with --model annotator-cm: annotators R', positiveInt('--annotators'), 5)
    .option('--classes <n>', 'with --model annotator-cm: classes L', positiveInt('--classes'), 2)
    .option('--cm <kind>', 'with --model annotator-cm: "pixel" (default) or "global"', 'pixel')
    .action(
      async (
        opts: {
          json?: boolean;
          size: number;
          batch: number;
          threads: number;
          model?: string;
          patch: number;
          annotators: number;
          classes: number;
          cm: string;
        },
        command: Command,
      ) => {
        if (opts.model === 'annotator-cm') return benchAnnotatorCm(opts);
        const progress = (m: string): void => void process.stderr.write(`bench: ${m}\n`);
        let build: BenchOptions['build'];
        if (opts.model !== undefined) {
          const { getModel } = await import('../models/index.ts');
          const spec = getModel(opts.model);
          if (spec.dims === 3) {
            const { benchModel } = await import('../bench/index.ts');
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
          if (opts.size % spec.divisor(spec.defaults) !== 0)
            throw new MultiraterError(
              'invalid_argument',
              `bench: --size must be a multiple of ${spec.divisor(spec.defaults)} for ${opts.model}, got ${opts.size}`,
            );
          build = (x, training) => spec.build(x, 4, training, spec.defaults);
        }
        const { runBench } = await import('../bench/index.ts');
        // Progress on stderr (stdout stays JSON with --json): the first session build alone takes several seconds.
        const r = await runBench({
          size: opts.size,
          batch: opts.batch,
          threads: opts.threads,
          build,
          onProgress: progress,
        });
        const model = opts.model ?? 'U-Net';
        if (opts.json) {
          printJson({
            ...(opts.model !== undefined ? { model } : {}),
            trainStepSeconds: r.trainStepSeconds,
            inferenceSeconds: r.inferenceSeconds,
            params: r.params,
            threads: r.threads,
            size: r.size,
            batch: r.batch,
          });
        } else {
          process.stdout.write(
            `${model} ${r.batch}×1×${r.size}×${r.size}, ${r.params} parameters, ${r.threads} threads\n` +
              `training step  ${r.trainStepSeconds.toFixed(3)} s (median)\ninference      ${r.inferenceSeconds.toFixed(3)} s (median)\n`,
          );
        }
      },
    );
}

async function benchAnnotatorCm(opts: {
  json?: boolean;
  size: number;
  batch: number;
  threads: number;
  model?: string;
  annotators: number;
  classes: number;
  cm: string;
}): Promise<void> {
  const { size, batch, threads, annotators, classes, cm } = opts;
  if (opts.model !== 'annotator-cm')
    throw new MultiraterError('invalid_argument', `bench: --model must be annotator-cm, got "${opts.model}"`);
  if (cm !== 'pixel' && cm !== 'global')
    throw new MultiraterError('invalid_argument', `bench: --cm must be "pixel" or "global", got "${cm}"`);
  const { runAnnotatorBench } = await import('../bench/index.ts');
  const r = await runAnnotatorBench({ size, batch, threads, annotators, classes, cm });
  if (opts.json) return printJson({ ...r });
  process.stdout.write(
    `training step, ${r.batch}×1×${r.patch}×${r.patch}${r.patch !== r.size ? ` (${r.size} padded)` : ''}, ${r.annotators} annotators, ${r.classes} classes, ${r.cm} CMs, ${r.threads} threads (medians)\n` +
      `unet2d        ${r.plainStepSeconds.toFixed(3)} s  (${r.plainParams} parameters)\n` +
      `annotator-cm  ${r.annotatorStepSeconds.toFixed(3)} s  (${r.annotatorParams} parameters)\n` +
      `ratio         ${r.ratio.toFixed(2)}×\n`,
  );
}
