/** `multirater info FILE`: geometry, datatype, value range and label counts of an image. */
import type { Command } from 'commander';
import { describeImage, type ImageDescription } from '../io/index.ts';
import { formatFloat32, formatNumber } from './format-table.ts';
import { printJson } from './output.ts';

/** Adds `multirater info FILE` to `program`: `describeImage`, printed as aligned lines or JSON. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('shape, spacing, datatype, affine, value range and label counts of a NIfTI/NRRD image')
    .argument('<file>', 'image file (.nii, .nii.gz, .nrrd, .nhdr)')
    .option('--json', 'print JSON only')
    .action((file: string, opts: { json?: boolean }) => {
      const info = describeImage(file);
      if (opts.json) return printJson(info);
      process.stdout.write(formatImageDescription(info));
    });
}

/** The plain-text form of `info`: one aligned line per fact. */
export function formatImageDescription(info: ImageDescription): string {
  const lines = [
    `file      ${info.file}`,
    `format    ${info.format}`,
    `shape     ${info.shape.join(' × ')}`,
    `spacing   ${info.spacing.map(formatFloat32).join(' × ')} mm`,
    `datatype  ${info.datatype}${info.scaled ? ` (scaled to ${info.valueType})` : ''}`,
    `affine    ${info.affine.map((r) => r.map((v) => +v.toFixed(6)).join(' ')).join('\n          ')}`,
    `range     ${info.min} … ${info.max}`,
    `sum       ${info.sum}`,
  ];
  if (info.labels) {
    lines.push(
      `labels    ${Object.entries(info.labels)
        .map(([l, n]) => `${l}: ${n}`)
        .join(', ')}`,
    );
  }
  if (info.distribution) {
    const { mean, ...ps } = info.distribution;
    lines.push(`values    not a label map (fractional, or more than 256 distinct values); mean ${formatNumber(mean)}`);
    lines.push(
      `          percentiles ${Object.entries(ps)
        .map(([p, v]) => `${p} ${formatNumber(v)}`)
        .join('  ')}`,
    );
  }
  return lines.join('\n') + '\n';
}
