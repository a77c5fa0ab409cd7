/**
 * `multirater` entry point. Each command lives in its own file as `register<Name>(program)`: it parses options
 * into the library's option type, calls one library function and prints. Errors reach the user as one line.
 */
import { Command, CommanderError } from 'commander';
import { MultiraterError } from '../errors.ts';
import { registerDataset } from './dataset.ts';
import { registerCompare } from './compare.ts';
import { registerEval } from './eval.ts';
import { registerFuse } from './fuse.ts';
import { registerDemo } from './demo.ts';
import { registerInfo } from './info.ts';
import { registerBench } from './bench.ts';
import { registerSimulate } from './simulate.ts';
import { registerModel } from './model.ts';
import { registerTrain } from './train.ts';
import { registerPredict } from './predict.ts';
import { registerRegister } from './register.ts';

export function buildProgram(): Command {
  const program = new Command('multirater')
    .description('Learn medical image segmentation from imperfect annotations.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError(false);
  registerInfo(program);
  registerDataset(program);
  registerEval(program);
  registerCompare(program);
  registerFuse(program);
  registerDemo(program);
  registerSimulate(program);
  registerBench(program);
  registerModel(program);
  registerTrain(program);
  registerPredict(program);
  registerRegister(program);
  return program;
}

/** Runs the CLI on `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof MultiraterError) {
      process.stderr.write(`multirater: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
