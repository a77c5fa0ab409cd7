/** `multirater demo` (what `npm start` runs): the expert vs non-expert training demo of src/experiments/demo.ts. */
import type { Command } from 'commander';
import { FULL_STUDY_COMMAND, runDemo } from '../experiments/index.ts';
import { printJson } from './output.ts';
import { integer, positiveInteger } from './parse-number.ts';

interface DemoFlags {
  out: string;
  subjects?: string;
  size?: string;
  iterations?: string;
  raters?: string;
  seed?: string;
  threads?: string;
  json?: boolean;
}

/**
 * Adds `multirater demo` to `program`: `runDemo` with the flags given; prints the test table and the full study's
 * command.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'simulate cardiac MRI with expert and non-expert raters, train a U-Net on each, compare against the truth',
    )
    .option('--out <dir>', 'output folder', 'demo-output')
    .option('--subjects <n>', 'simulated subjects (default 16)')
    .option('--size <n>', 'phantom in-plane size in pixels (default 64)')
    .option('--iterations <n>', 'training iterations per model (default 300)')
    .option('--raters <list>', 'raters to train on, comma-separated (default expert,nonexpert1)')
    .option('--seed <s>', 'seed (default 1)')
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option('--json', 'print the results as JSON only')
    .action(async (flags: DemoFlags) => {
      const num = (flag: string, t: string | undefined): number | undefined =>
        t === undefined ? undefined : positiveInteger(flag, t);
      const result = await runDemo({
        out: flags.out,
        subjects: num('--subjects', flags.subjects),
        size: num('--size', flags.size),
        iterations: num('--iterations', flags.iterations),
        raters: flags.raters
          ?.split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
        seed: flags.seed === undefined ? undefined : integer('--seed', flags.seed),
        threads: num('--threads', flags.threads),
      });
      if (flags.json) return printJson({ rows: result.rows, seconds: Number(result.seconds.toFixed(1)) });
      process.stdout.write(
        `\nTest subjects against the phantom's truth (means):\n\n${result.table}\n\nfinished in ${result.seconds.toFixed(0)} s; written to ${result.out}/results.md (figure of predictions: ${result.figure})\n\nThe full study (U-Net, Attention U-Net, ENet × expert/non-expert labels × CE+Dice/MAE+Dice, Tables 1–3):\n  ${FULL_STUDY_COMMAND}\n`,
      );
    });
}
