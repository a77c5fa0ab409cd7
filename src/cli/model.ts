/** `multirater model info NAME [--json]`: a built-in network's architecture options and parameter counts. */
import type { Command } from 'commander';
import { BUILTIN_MODELS } from '../models/index.ts';
import { modelInfo } from '../models/index.ts';
import { formatTable } from './format-table.ts';
import { printJson } from './output.ts';
import { positiveInteger } from './parse-number.ts';

/** Adds `multirater model list` (the built-in networks) and `model info NAME` (`modelInfo`) to `program`. */
export function registerModel(program: Command): void {
  const model = program.command('model').description('segmentation networks: list and inspect');
  model
    .command('list')
    .description('list the built-in networks')
    .option('--json', 'print JSON only')
    .action((flags: { json?: boolean }) => {
      const rows = [...BUILTIN_MODELS.values()].map((m) => ({
        name: m.name,
        dims: m.dims,
        description: m.description,
      }));
      if (flags.json) return printJson({ models: rows });
      process.stdout.write(
        formatTable([['name', 'dims', 'description'], ...rows.map((r) => [r.name, `${r.dims}D`, r.description])]) +
          '\n',
      );
    });
  model
    .command('info')
    .description('architecture options and parameter counts of a built-in network')
    .argument('<name>', `network: ${[...BUILTIN_MODELS.keys()].join(', ')}`)
    .option(
      '--classes <n>',
      'output classes including background (default 4; highres3dnet 1, its one-channel BCE head)',
    )
    .option('--json', 'print JSON only')
    .action((name: string, flags: { classes?: string; json?: boolean }) => {
      const info = modelInfo(name, {
        classes: flags.classes === undefined ? undefined : positiveInteger('--classes', flags.classes),
      });
      if (flags.json) return printJson(info);
      const lines = [
        `${info.name}: ${info.description}`,
        `options: ${JSON.stringify(info.options)}`,
        `input sides must be multiples of ${info.divisor} pixels; ${info.classes} output classes`,
        `trainable parameters: ${info.trainableParameters}`,
        `buffer parameters (normalisation statistics): ${info.bufferParameters}`,
        '',
        formatTable([['layer', 'parameters'], ...Object.entries(info.byLayer).map(([k, v]) => [k, String(v)])]),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
