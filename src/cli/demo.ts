/** `multirater demo` (what `npm start` runs): what the tool does, shown on a generated label map. */
import type { Command } from 'commander';
import { runDemo } from '../demo/run-demo.ts';
import { formatImageDescription } from './info.ts';
import { printJson } from './output.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('say what multirater does, write a small generated label map and describe it as `info` does')
    .option('--out <dir>', 'folder for the generated volume (default: a new temporary folder)')
    .option('--json', 'print JSON only')
    .action((opts: { out?: string; json?: boolean }) => {
      const result = runDemo({ outDir: opts.out });
      if (opts.json) return printJson(result);
      process.stdout.write(`${result.about}\n\nGenerated ${result.file}; \`multirater info\` on it:\n\n${formatImageDescription(result.description)}`);
    });
}
