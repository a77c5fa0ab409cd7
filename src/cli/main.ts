/**
 * `multirater` entry point. Each command lives in its own file as `register<Name>(program)`: it parses options
 * into the library's option type, calls one library function and prints. Errors reach the user as one line.
 *
 * Start-up time: a run loads only the command it runs. `COMMANDS` names every command with its one-line summary;
 * the command named on the command line (or after `help`) is imported and registered in full, the others appear as
 * summaries only, so `--help` and `info` do not pay for ONNX Runtime, zod or the phantoms.
 */
import { Command, CommanderError } from 'commander';
import { MultiraterError } from '../errors.ts';
import { flagMessage } from './option-flags.ts';

type Register = (program: Command) => void;

interface CommandEntry {
  /** One line for the top-level help; a test keeps it equal to the command's own description. */
  summary: string;
  load: () => Promise<Register>;
}

/** Every command, in the order of the top-level help. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  info: {
    summary: 'shape, spacing, datatype, affine, value range and label counts of a NIfTI/NRRD image',
    load: async () => (await import('./info.ts')).registerInfo,
  },
  dataset: {
    summary: 'import datasets from public layouts and check dataset folders',
    load: async () => (await import('./dataset.ts')).registerDataset,
  },
  eval: {
    summary: 'segmentation metrics (overlap, surface distances, surface Dice) and cardiac clinical indices',
    load: async () => (await import('./eval.ts')).registerEval,
  },
  compare: {
    summary:
      'compare two `eval --json` dataset results: mean difference, p-value (paired t or Welch), Holm-adjusted, which is better',
    load: async () => (await import('./compare.ts')).registerCompare,
  },
  fuse: {
    summary: "fuse raters' label maps (majority, mean, STAPLE, multi-label STAPLE, Spatial STAPLE)",
    load: async () => (await import('./fuse.ts')).registerFuse,
  },
  demo: {
    summary: 'simulate cardiac MRI with expert and non-expert raters, train a U-Net on each, compare against the truth',
    load: async () => (await import('./demo.ts')).registerDemo,
  },
  simulate: {
    summary:
      'write a simulated dataset: cardiac cine MRI phantom, MNIST digits, head-and-neck CT or neonatal brain slices, with simulated raters',
    load: async () => (await import('./simulate.ts')).registerSimulate,
  },
  bench: {
    summary:
      'Time a training step and an inference pass of the pinned 2-D U-Net, or of a registered network (--model), on ONNX Runtime.',
    load: async () => (await import('./bench.ts')).registerBench,
  },
  model: {
    summary: 'segmentation networks: list and inspect',
    load: async () => (await import('./model.ts')).registerModel,
  },
  train: {
    summary: 'train a segmentation network on one label source of a dataset',
    load: async () => (await import('./train.ts')).registerTrain,
  },
  predict: {
    summary: 'segment images with a trained model folder',
    load: async () => (await import('./predict.ts')).registerPredict,
  },
  finetune: {
    summary: 'fine-tune a multi-expert model (--norm cin) to a new expert from a few of its images',
    load: async () => (await import('./finetune.ts')).registerFinetune,
  },
  overlay: {
    summary: 'PNG figure of an image with label maps drawn over it, one row per slice',
    load: async () => (await import('./overlay.ts')).registerOverlay,
  },
  study: {
    summary: 'run a study: a plan of resumable jobs, locally or on a Redis queue',
    load: async () => (await import('./study.ts')).registerStudy,
  },
  worker: {
    summary: 'run study jobs from a Redis (BullMQ) queue into a shared output folder',
    load: async () => (await import('./worker.ts')).registerWorker,
  },
  view: {
    summary: 'browse a dataset in the browser: raters, truth, fused labels, predictions and rater disagreement',
    load: async () => (await import('./view.ts')).registerView,
  },
  register: {
    summary:
      'register a moving image onto a fixed one (diffeomorphic demons or a learned model); write the field and warped labels',
    load: async () => (await import('./register.ts')).registerRegister,
  },
  propagate: {
    summary:
      'propagate ED (and ES) labels to every cine frame by registration; write a dataset copy with rater "propagated"',
    load: async () => (await import('./register.ts')).registerRegister,
  },
  audit: {
    summary: "find a rater's bad labels: out-of-fold predictions, suspicious regions, cases ranked",
    load: async () => (await import('./audit.ts')).registerAudit,
  },
};

/**
 * The program with `full` commands registered completely (default: all of them) and the rest as summaries.
 */
export async function buildProgram(full: readonly string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program = new Command('multirater')
    .description('Learn medical image segmentation from imperfect annotations.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError(false);
  // One file may register several commands (register.ts: `register` and `propagate`); the commands no loaded file
  // brought appear as summaries.
  const has = (name: string): boolean => program.commands.some((c) => c.name() === name);
  for (const name of full) if (!has(name)) (await COMMANDS[name].load())(program);
  for (const [name, entry] of Object.entries(COMMANDS))
    if (!has(name)) program.command(name).description(entry.summary);
  return program;
}

/** The command a command line runs (`multirater train …`, `multirater help train`), if it names one. */
export function commandOf(argv: readonly string[]): string | undefined {
  const words = argv.slice(2);
  const first = words[0] === 'help' ? words[1] : words[0];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

/** Runs the CLI on `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const command = commandOf(argv);
  const program = await buildProgram(command === undefined ? [] : [command]);
  try {
    await program.parseAsync(argv);
    // A command that ends early on purpose (an interrupted study: 130) sets the exit code itself.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof MultiraterError) {
      process.stderr.write(`multirater: ${flagMessage(e.message)}\n`);
      return 1;
    }
    throw e;
  }
}
