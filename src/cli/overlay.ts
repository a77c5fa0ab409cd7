/**
 * `multirater overlay IMAGE --labels L… --out fig.png [--slices 3,5,7] [--axis k]`: a PNG figure of the image with
 * each label map drawn over it, one row per slice (the image alone first, then one column per label map).
 */
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import type { SliceAxis } from '../report/index.ts';
import { printJson } from './output.ts';
import { integer, positiveInteger } from './parse-number.ts';

interface OverlayFlags {
  labels?: string[];
  out: string;
  slices?: string;
  axis: string;
  frame?: string;
  mode: string;
  zoom?: string;
  json?: boolean;
}

const AXES: Record<string, SliceAxis> = { i: 0, j: 1, k: 2, '0': 0, '1': 1, '2': 2 };

/** Adds `multirater overlay IMAGE` to `program`: `writeOverlayFigure`, then prints the PNG's size and slices. */
export function registerOverlay(program: Command): void {
  program
    .command('overlay')
    .description('PNG figure of an image with label maps drawn over it, one row per slice')
    .argument('<image>', 'image file (.nii, .nii.gz, .nrrd, .nhdr)')
    .option('--labels <files...>', 'label maps on the image grid, one column each')
    .requiredOption('--out <file>', 'output PNG file')
    .option('--slices <list>', 'slice indices along the axis, comma-separated (default: at ¼, ½, ¾)')
    .option('--axis <axis>', 'axis cut across: i, j or k (0, 1, 2)', 'k')
    .option('--frame <t>', 'frame of a 4D image (default 0)')
    .option('--mode <mode>', 'outline or fill', 'outline')
    .option('--zoom <n>', 'pixels per voxel (default 3)')
    .option('--json', 'print a JSON summary only')
    .action(async (image: string, flags: OverlayFlags) => {
      const axis = AXES[flags.axis];
      if (axis === undefined)
        throw new MultiraterError('invalid_argument', `overlay: --axis must be i, j or k, got "${flags.axis}"`);
      if (flags.mode !== 'outline' && flags.mode !== 'fill')
        throw new MultiraterError('invalid_argument', `overlay: --mode must be outline or fill, got "${flags.mode}"`);
      const { writeOverlayFigure } = await import('../report/index.ts');
      const result = writeOverlayFigure({
        image,
        labels: flags.labels ?? [],
        out: flags.out,
        axis,
        slices: flags.slices?.split(',').map((s) => integer('--slices', s.trim())),
        frame: flags.frame === undefined ? undefined : integer('--frame', flags.frame),
        mode: flags.mode,
        zoom: flags.zoom === undefined ? undefined : positiveInteger('--zoom', flags.zoom),
      });
      if (flags.json) return printJson(result);
      process.stdout.write(
        `wrote ${result.out} (${result.width}×${result.height} px): rows are slices ${result.slices.join(', ')} along ${'ijk'[axis]}; columns ${result.columns.join(', ')}\n`,
      );
    });
}
