/** `multirater fuse`: label fusion of rater files, or of every case of a dataset. */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { fuseDataset, type FuseDatasetReport } from '../fusion/index.ts';
import { fuseFiles, type FuseReport } from '../fusion/index.ts';
import type { FuseOptions } from '../fusion/index.ts';
import { FUSION_METHODS } from '../fusion/index.ts';
import { printJson } from './output.ts';

interface FuseCliOptions {
  method: string;
  out?: string;
  prob?: string;
  foreground?: string;
  mask?: string;
  maxIterations?: string;
  undecided?: string;
  restrictToDisagreement?: boolean;
  blockSize?: string;
  windowBlocks?: string;
  priorWeight?: string;
  data?: string;
  outDir?: string;
  json?: boolean;
}

/** Adds `multirater fuse` to `program`: `fuseFiles` on rater files, or `fuseDataset` on every case with `--data`. */
export function registerFuse(program: Command): void {
  program
    .command('fuse')
    .description("fuse raters' label maps (majority, mean, STAPLE, multi-label STAPLE, Spatial STAPLE)")
    .argument('[raters...]', 'rater label maps (.nii, .nii.gz), at least two')
    .requiredOption('--method <name>', `fusion method: ${[...FUSION_METHODS.keys()].join(' | ')}`)
    .option('--out <file>', 'fused label map to write (.nii, .nii.gz)')
    .option('--prob <file>', 'foreground probability map to write as float32 (staple, mean)')
    .option('--foreground <label>', 'foreground label for staple and mean (default 1)')
    .option('--mask <file>', "0/1 mask on the raters' grid; outside it the result is 0")
    .option('--max-iterations <n>', 'largest number of EM steps')
    .option('--undecided <label>', 'label for ties (default: largest label + 1)')
    .option('--restrict-to-disagreement', 'estimate STAPLE only from voxels where raters disagree')
    .option('--block-size <voxels>', 'spatial-staple block edge in voxels (default 8)')
    .option('--window-blocks <n>', 'spatial-staple window half-width in blocks (default 1)')
    .option('--prior-weight <voxels>', 'spatial-staple weight of the whole-image matrices (default one block)')
    .option('--data <dir>', 'fuse every case of this dataset (folder with dataset.json)')
    .option('--out-dir <dir>', 'with --data: folder for the fused maps and the dataset.json copy')
    .option('--json', 'print JSON only')
    .action((raters: string[], opts: FuseCliOptions) => {
      const common = fuseOptions(opts);
      if (opts.data !== undefined) {
        if (opts.outDir === undefined) throw new MultiraterError('invalid_argument', '--data needs --out-dir');
        if (raters.length > 0 || opts.out !== undefined || opts.prob !== undefined) {
          throw new MultiraterError('invalid_argument', '--data takes no rater files, --out or --prob (use --out-dir)');
        }
        const report = fuseDataset({ ...common, method: opts.method, data: opts.data, outDir: opts.outDir });
        for (const warning of report.warnings) process.stderr.write(`multirater: warning: ${warning}\n`);
        return opts.json ? printJson(report) : printDatasetReport(report);
      }
      if (opts.out === undefined)
        throw new MultiraterError('invalid_argument', 'fuse needs --out FILE (or --data DIR --out-dir DIR)');
      const report = fuseFiles({
        ...common,
        method: opts.method,
        raters,
        out: opts.out,
        prob: opts.prob,
        mask: opts.mask,
      });
      return opts.json ? printJson(report) : printFileReport(report, opts.out);
    });
}

function fuseOptions(opts: FuseCliOptions): Omit<FuseOptions, 'names' | 'mask'> {
  return {
    foreground: whole('--foreground', opts.foreground, 0),
    maxIterations: whole('--max-iterations', opts.maxIterations, 1),
    undecidedLabel: whole('--undecided', opts.undecided, 0),
    restrictToDisagreement: opts.restrictToDisagreement,
    blockSize: whole('--block-size', opts.blockSize, 1),
    windowBlocks: whole('--window-blocks', opts.windowBlocks, 0),
    priorWeight: positive('--prior-weight', opts.priorWeight),
  };
}

function whole(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new MultiraterError('invalid_argument', `${flag} expects a whole number ≥ ${min}, got "${value}"`);
  return n;
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new MultiraterError('invalid_argument', `${flag} expects a positive number, got "${value}"`);
  return n;
}

function printFileReport(report: FuseReport, out: string): void {
  const lines = [
    `${report.method}: ${report.raters.length} raters → ${out} in ${report.seconds.toFixed(3)} s${iterationText(report)}`,
  ];
  for (const r of report.raters) {
    const rates =
      r.sensitivity !== null
        ? `  sensitivity ${r.sensitivity.toFixed(4)}  specificity ${r.specificity?.toFixed(4) ?? 'n/a'}`
        : '';
    lines.push(`  ${r.file}${rates}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function printDatasetReport(report: FuseDatasetReport): void {
  const lines = [`${report.method}: ${report.cases.length} cases → rater "${report.raterId}" in ${report.dataset}`];
  for (const c of report.cases)
    lines.push(
      `  ${c.id}: ${c.raters.length} raters, ${c.empty ? 'empty in every rater' : `${c.seconds.toFixed(3)} s${iterationText(c)}`}`,
    );
  process.stdout.write(lines.join('\n') + '\n');
}

function iterationText(r: FuseReport): string {
  return r.iterations === null ? '' : `, ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}`;
}
