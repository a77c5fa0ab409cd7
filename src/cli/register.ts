/**
 * `multirater register`: deformable registration of two images (diffeomorphic demons or a learned VoxelMorph
 * model), writing the field and warped labels; `register train` trains the learned model on a dataset's cine
 * frames; `multirater propagate` carries ED (and ES) labels to every cine frame of a dataset.
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import type { RegistrationMethod } from '../registration/index.ts';
import { runWithFlags } from './option-flags.ts';
import { printJson } from './output.ts';
import { positiveInteger, positiveNumber } from './parse-number.ts';

interface RegisterCliOptions {
  fixed?: string;
  moving?: string;
  method: string;
  model?: string;
  field?: string;
  warp?: string;
  out?: string;
  interp: string;
  dims?: string;
  iterations?: string;
  sigma?: string;
  levels?: string;
  threads?: string;
  json?: boolean;
}

const METHODS = ['identity', 'demons', 'learned'];

function invalid(message: string): never {
  throw new MultiraterError('invalid_argument', message);
}

function common(opts: RegisterCliOptions) {
  if (!METHODS.includes(opts.method)) invalid(`--method must be one of ${METHODS.join(', ')}, got "${opts.method}"`);
  if (opts.interp !== 'linear' && opts.interp !== 'nearest')
    invalid(`--interp must be linear or nearest, got "${opts.interp}"`);
  if (opts.dims !== undefined && opts.dims !== '2' && opts.dims !== '3')
    invalid(`--dims must be 2 or 3, got "${opts.dims}"`);
  return {
    method: opts.method as RegistrationMethod,
    dims: opts.dims === undefined ? undefined : (Number(opts.dims) as 2 | 3),
    interpolation: opts.interp as 'linear' | 'nearest',
    demons: {
      iterations: opts.iterations === undefined ? undefined : positiveInteger('--iterations', opts.iterations),
      standardDeviation: opts.sigma === undefined ? undefined : positiveNumber('--sigma', opts.sigma),
      levels: opts.levels === undefined ? undefined : positiveInteger('--levels', opts.levels),
    },
    threads: opts.threads === undefined ? undefined : positiveInteger('--threads', opts.threads),
  };
}

function methodOptions(c: Command): Command {
  return c
    .option('--method <name>', `registration: ${METHODS.join(' | ')}`, 'demons')
    .option('--model <dir>', 'learned model folder (from `register train`)')
    .option('--interp <mode>', 'label interpolation: linear (one-hot linear, then argmax) | nearest', 'linear')
    .option('--dims <2|3>', 'demons on 3D images: 2 = slice by slice, 3 = whole volume')
    .option('--iterations <n>', "demons iterations per level (ITK's default 10)")
    .option('--sigma <voxels>', 'demons displacement-field smoothing σ in voxels (default 1)')
    .option('--levels <n>', 'demons resolution levels (default 1)')
    .option('--threads <n>', 'ONNX Runtime threads for learned registration')
    .option('--json', 'print JSON only');
}

/** The library's `modelDir` is the flag `--model DIR`. */
const MODEL_FLAG = { modelDir: '--model' };

/**
 * Adds `multirater register` (`registerFiles`), `register train` (`trainRegistration`) and `multirater propagate`
 * (`propagateLabels`) to `program`.
 */
export function registerRegister(program: Command): void {
  const register = methodOptions(
    program
      .command('register')
      .description(
        'register a moving image onto a fixed one (diffeomorphic demons or a learned model); write the field and warped labels',
      )
      .option('--fixed <file>', 'fixed image (.nii, .nii.gz)')
      .option('--moving <file>', 'moving image, same grid')
      .option('--field <file>', 'displacement field to write: 4D NIfTI, components (mm along i, j, k) on the 4th axis')
      .option('--warp <labels>', 'label map on the moving grid to carry onto the fixed grid')
      .option('--out <file>', 'with --warp: the warped label map to write'),
  ).action(async (opts: RegisterCliOptions) => {
    if (opts.fixed === undefined || opts.moving === undefined)
      invalid('register needs --fixed FILE and --moving FILE (or: register train)');
    const { registerFiles } = await import('../registration/index.ts');
    const c = common(opts);
    const report = await runWithFlags(MODEL_FLAG, () =>
      registerFiles({
        ...c,
        fixed: opts.fixed as string,
        moving: opts.moving as string,
        modelDir: opts.model,
        field: opts.field,
        warp: opts.warp,
        out: opts.out,
      }),
    );
    if (opts.json) return printJson(report);
    const q = report.quality;
    process.stdout.write(
      `${report.method} registration of ${report.shape.join('×')} in ${report.seconds.toFixed(2)} s: RMS displacement ${q.rmsDisplacementMm.toFixed(2)} mm, ` +
        `max ${q.maxDisplacementMm.toFixed(2)} mm, folding ${(100 * q.foldingFraction).toFixed(3)} % of voxels` +
        (report.field ? `\nfield → ${report.field}` : '') +
        (report.out ? `\nwarped labels → ${report.out}` : '') +
        '\n',
    );
  });
  register
    .command('train')
    .description("train the learned (VoxelMorph-style) model on a dataset's cine frames, intra-subject pairs")
    .requiredOption('--data <dir>', 'dataset folder (cases with meta.cine)')
    .option('--out <dir>', 'model folder to write (model.onnx, registration.json)')
    .option('--dims <2|3>', '2 = slice pairs (default), 3 = volume pairs')
    .option('--steps <n>', 'training steps (default 1000)')
    .option('--batch <n>', 'pairs per step (default 8 in 2D, 1 in 3D)')
    .option('--similarity <name>', 'ncc (local NCC, window 9; default) | mse')
    .option('--lr <rate>', 'Adam learning rate (default 1e-4)')
    .option(
      '--splits <list>',
      'comma-separated splits whose cines are used (default train; all when no case has a split)',
    )
    .option(
      '--segmentation-weight <w>',
      'weight of the Dice term on warped ED/ES labels (VoxelMorph uses 0.01; default 0)',
    )
    .option('--labels <source>', 'labels for the Dice term: a rater id or truth (default the first rater)')
    .option('--seed <s>', 'seed of the weights and pairs (default 1)')
    .option('--threads <n>', 'ONNX Runtime threads')
    .option('--json', 'print JSON only')
    .action(async (own: Record<string, string | boolean | undefined>) => {
      // commander hands the flags `register` shares (--out, --dims, --threads, --json) to the parent command.
      const opts: Record<string, string | boolean | undefined> = {
        ...register.opts(),
        ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)),
      };
      const str = (k: string) => opts[k] as string | undefined;
      const out = str('out');
      if (out === undefined) invalid('register train needs --out DIR');
      if (str('dims') !== undefined && str('dims') !== '2' && str('dims') !== '3')
        invalid(`--dims must be 2 or 3, got "${str('dims')}"`);
      const similarity = str('similarity');
      if (similarity !== undefined && similarity !== 'ncc' && similarity !== 'mse')
        invalid(`--similarity must be ncc or mse, got "${similarity}"`);
      const { trainRegistration } = await import('../registration/index.ts');
      const steps = str('steps') === undefined ? 1000 : positiveInteger('--steps', str('steps') as string);
      const every = Math.max(1, Math.floor(steps / 20));
      const report = await runWithFlags({ outDir: '--out' }, () =>
        trainRegistration(str('data') as string, out, {
          dims: str('dims') === undefined ? undefined : (Number(str('dims')) as 2 | 3),
          steps,
          batchSize: str('batch') === undefined ? undefined : positiveInteger('--batch', str('batch') as string),
          similarity: similarity as 'ncc' | 'mse' | undefined,
          learningRate: str('lr') === undefined ? undefined : positiveNumber('--lr', str('lr') as string),
          splits: str('splits')
            ?.split(',')
            .map((x) => x.trim()) as ('train' | 'val' | 'test')[] | undefined,
          segmentationWeight:
            str('segmentationWeight') === undefined
              ? undefined
              : positiveNumber('--segmentation-weight', str('segmentationWeight') as string),
          labels: str('labels'),
          seed: str('seed') === undefined ? undefined : positiveInteger('--seed', str('seed') as string),
          threads: str('threads') === undefined ? undefined : positiveInteger('--threads', str('threads') as string),
          onStep: (step, total, loss) => {
            if (step % every === 0 || step === total)
              process.stderr.write(`register train: step ${step}/${total} loss ${loss.toFixed(4)}\n`);
          },
        }),
      );
      const { config, ...rest } = report;
      if (opts.json)
        return printJson({
          ...rest,
          dims: config.dims,
          tensorShape: config.tensorShape,
          similarity: config.similarity,
        });
      process.stdout.write(
        `trained ${config.dims}D registration on ${report.subjects} subjects, ${report.steps} steps in ${report.seconds.toFixed(0)} s (final loss ${report.finalLoss.toFixed(4)}) → ${report.dir}\n`,
      );
    });

  methodOptions(
    program
      .command('propagate')
      .description(
        'propagate ED (and ES) labels to every cine frame by registration; write a dataset copy with rater "propagated"',
      )
      .requiredOption('--data <dir>', 'dataset folder (cases with meta.cine)')
      .requiredOption('--out-dir <dir>', 'folder for the dataset copy (must not exist or be empty)')
      .option('--labels <source>', 'labels to propagate: a rater id or truth (default the first rater)')
      .option('--from-es', 'also propagate the ES labels; each frame takes the nearer labelled frame'),
  ).action(async (opts: RegisterCliOptions & { data: string; outDir: string; labels?: string; fromEs?: boolean }) => {
    const c = common(opts);
    if (c.method === 'learned' && opts.model === undefined) invalid('--method learned needs --model DIR');
    const { propagateLabels } = await import('../registration/index.ts');
    const report = await runWithFlags(MODEL_FLAG, () =>
      propagateLabels(opts.data, opts.outDir, {
        ...c,
        dims: c.dims ?? 2,
        modelDir: c.method === 'learned' ? opts.model : undefined,
        labels: opts.labels,
        fromEs: opts.fromEs,
        onFrame: (f) =>
          process.stderr.write(`propagate: ${f.caseId} from frame ${f.sourceFrame} (${f.seconds.toFixed(2)} s)\n`),
      }),
    );
    if (opts.json) return printJson(report);
    const folding = Math.max(0, ...report.frames.map((f) => f.foldingFraction));
    process.stdout.write(
      `propagated labels to ${report.frames.length} frames of ${report.subjects} subjects (${report.cases} cases; worst folding ${(100 * folding).toFixed(3)} %) → ${report.outDir}\n`,
    );
  });
}
