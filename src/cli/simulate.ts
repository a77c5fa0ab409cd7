/**
 * `multirater simulate cardiac|mnist|headneck|braingrowth --out DIR …`: writes a simulated dataset (images, truth
 * and rater label maps as .nii.gz plus dataset.json with the raters' true confusion matrices). Progress goes to
 * stderr.
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import type { CardiacVendor } from '../phantom/index.ts';
import type { SimulateCommonOptions, SimulateResult } from '../raters/index.ts';
import { printJson } from './output.ts';
import { commaList, optional } from './parse-number.ts';

interface SimulateFlags {
  out: string;
  subjects?: string;
  count?: string;
  seed?: string;
  raters?: string;
  experts?: string;
  vendors?: string;
  frames?: string;
  size?: string;
  workers?: string;
  noisyRatios?: string;
  draws?: string;
  cases?: string;
  testCases?: string;
  geometry?: string;
  annotators?: string;
  json?: boolean;
}

const KINDS = ['cardiac', 'mnist', 'headneck', 'braingrowth'] as const;

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim()))
    throw new MultiraterError('invalid_argument', `simulate: ${flag} expects an integer, got "${text}"`);
  return Number(text);
}

function numbers(flag: string, text: string | undefined): number[] | undefined {
  return optional(text, commaList)?.map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v))
      throw new MultiraterError('invalid_argument', `simulate: ${flag} expects numbers, got "${s}"`);
    return v;
  });
}

function geometry(text: string | undefined): 'default' | 'seed' | undefined {
  if (text === undefined || text === 'default' || text === 'seed') return text;
  throw new MultiraterError('invalid_argument', `simulate headneck: --geometry must be default or seed, got "${text}"`);
}

/**
 * Adds `multirater simulate cardiac|mnist|headneck|braingrowth` to `program`: the kind's `simulate*Dataset`, written to
 * `--out`.
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'write a simulated dataset: cardiac cine MRI phantom, MNIST digits, head-and-neck CT or neonatal brain slices, with simulated raters',
    )
    .argument('<kind>', 'cardiac | mnist | headneck | braingrowth')
    .requiredOption('--out <dir>', 'output folder')
    .option('--subjects <n>', 'subjects (cardiac, headneck; default 20)')
    .option('--count <n>', 'digits (mnist; default 500)')
    .option('--seed <s>', 'seed; same seed, same bytes (default 1)')
    .option(
      '--raters <list>',
      "comma-separated raters (cardiac: expert,nonexpert1,nonexpert2, plus on request nonexpert1-random / nonexpert2-random: random blobs at that non-expert's per-structure Dice against the expert; mnist: good,over,under,wrong,blank, or with --annotators harsh over,under,wrong; headneck: expert,dosimetrist)",
    )
    .option(
      '--annotators <family>',
      "mnist: morpho (default: good, over, under, wrong, blank) or harsh (over, under, wrong with the statistics of the annotators published with the seed's code: 2.9×, 0.32× and 2.0× the truth's area)",
    )
    .option('--experts <n>', 'add N expert styles style1…styleN, the last an outlier (default 0)')
    .option('--vendors <list>', 'cardiac vendors to cycle through (default A,B,C,D)')
    .option('--frames <t>', 'cardiac frames per cycle (default 12)')
    .option('--size <n>', 'cardiac in-plane matrix size (default 96); braingrowth image side (default 256)')
    .option('--cases <n>', 'braingrowth cases (default 39)')
    .option('--test-cases <n>', 'braingrowth test cases among them (default 5)')
    .option(
      '--workers <n>',
      'cardiac worker threads (default: one per idle core, at most 4, from 8 subjects and 2 idle cores; 0 = none)',
    )
    .option(
      '--noisy-ratios <list>',
      'headneck fractions of noisy training cases (default 0,0.25,0.5,0.75,1; "" for none)',
    )
    .option('--draws <n>', 'headneck draws per noisy ratio (default 1)')
    .option(
      '--geometry <name>',
      'headneck grid: default (96×96×48 of 1.5×1.5×2.5 mm) or seed (256×256×128 of 1.17×1.17×3 mm)',
    )
    .option('--json', 'print a JSON summary only')
    .action(async (kind: string, flags: SimulateFlags) => {
      if (!(KINDS as readonly string[]).includes(kind))
        throw new MultiraterError(
          'invalid_argument',
          `simulate: kind must be cardiac, mnist, headneck or braingrowth, got "${kind}"`,
        );
      if (kind === 'braingrowth' && (flags.raters !== undefined || flags.experts !== undefined))
        throw new MultiraterError(
          'invalid_argument',
          'simulate braingrowth: its seven experts seg01…seg07 are fixed (no --raters or --experts)',
        );
      const only: [keyof SimulateFlags, string, string][] = [
        ['subjects', '--subjects', 'cardiac,headneck'],
        ['count', '--count', 'mnist'],
        ['vendors', '--vendors', 'cardiac'],
        ['frames', '--frames', 'cardiac'],
        ['size', '--size', 'cardiac,braingrowth'],
        ['cases', '--cases', 'braingrowth'],
        ['testCases', '--test-cases', 'braingrowth'],
        ['workers', '--workers', 'cardiac'],
        ['noisyRatios', '--noisy-ratios', 'headneck'],
        ['draws', '--draws', 'headneck'],
        ['geometry', '--geometry', 'headneck'],
        ['annotators', '--annotators', 'mnist'],
      ];
      for (const [key, flag, kinds] of only) {
        if (flags[key] !== undefined && !kinds.split(',').includes(kind))
          throw new MultiraterError(
            'option_conflict',
            `simulate ${kind}: ${flag} applies to ${kinds.replace(',', ' and ')} only`,
          );
      }
      let last = -1;
      const common: SimulateCommonOptions = {
        out: flags.out,
        seed: integer('--seed', flags.seed),
        raters: optional(flags.raters, commaList),
        experts: integer('--experts', flags.experts),
        onProgress: (done, total) => {
          const tenth = Math.floor((10 * done) / total);
          if (tenth !== last) process.stderr.write(`simulate ${kind}: ${done}/${total}\n`);
          last = tenth;
        },
      };
      const started = performance.now();
      let result: SimulateResult;
      if (kind === 'cardiac') {
        const { simulateCardiacDataset } = await import('../raters/index.ts');
        result = await simulateCardiacDataset({
          ...common,
          subjects: integer('--subjects', flags.subjects),
          vendors: optional(flags.vendors, commaList) as CardiacVendor[] | undefined,
          frames: integer('--frames', flags.frames),
          size: integer('--size', flags.size),
          workers: integer('--workers', flags.workers),
        });
      } else if (kind === 'braingrowth') {
        const { simulateBraingrowthDataset } = await import('../raters/index.ts');
        result = simulateBraingrowthDataset({
          ...common,
          cases: integer('--cases', flags.cases),
          testCases: integer('--test-cases', flags.testCases),
          size: integer('--size', flags.size),
        });
      } else if (kind === 'mnist') {
        const { simulateMnistDataset } = await import('../raters/index.ts');
        const annotators = flags.annotators;
        if (annotators !== undefined && annotators !== 'morpho' && annotators !== 'harsh')
          throw new MultiraterError(
            'invalid_argument',
            `simulate mnist: --annotators must be morpho or harsh, got "${annotators}"`,
          );
        result = simulateMnistDataset({ ...common, count: integer('--count', flags.count), annotators });
      } else {
        const { simulateHeadneckDataset } = await import('../raters/index.ts');
        result = simulateHeadneckDataset({
          ...common,
          subjects: integer('--subjects', flags.subjects),
          noisyRatios: flags.noisyRatios === '' ? [] : numbers('--noisy-ratios', flags.noisyRatios),
          draws: integer('--draws', flags.draws),
          geometry: geometry(flags.geometry),
        });
      }
      const seconds = Math.round((performance.now() - started) / 10) / 100;
      if (flags.json) return printJson({ kind, ...result, seconds });
      process.stdout.write(
        `${result.datasetFile}: ${result.cases} cases from ${result.subjects} ${kind === 'mnist' ? 'digits' : 'subjects'}, raters ${result.raters.join(', ')}; ` +
          `splits train ${result.splits.train} / val ${result.splits.val} / test ${result.splits.test} (${seconds} s)\n`,
      );
    });
}
