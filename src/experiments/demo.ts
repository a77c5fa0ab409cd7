/**
 * The `npm start` demo: does a network trained on a non-expert's annotations segment as well as one trained on
 * an expert's? Simulates a small cardiac cine phantom dataset with expert and non-expert raters, trains a 2D U-Net
 * on each rater's label maps, predicts the test subjects, evaluates predictions (and, for reference, the raters'
 * own test annotations) against the phantom's truth — Dice and HD95 per structure, LV/RV ejection-fraction error —
 * and prints a comparison table, also written to `OUT/results.md` (with a figure of the predictions,
 * `OUT/predictions.png`) and `OUT/results.json`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { assertFolderOutput } from '../io/index.ts';
import { evaluateDataset, type DatasetEvaluation } from '../evaluation/index.ts';
import type { ReportTable } from '../report/index.ts';
import { tableToMarkdown } from '../report/index.ts';
import { simulateCardiacDataset } from '../raters/index.ts';
import { predictDataset } from '../predict/index.ts';
import { progressReporter } from '../train/index.ts';
import { train } from '../train/index.ts';
import { writeDemoFigure } from './demo-figure.ts';

/** What to run next: the full non-expert study (Tables 1–3 over three networks and five training arms). */
export const FULL_STUDY_COMMAND = 'npx multirater study run nonexpert --preset default --out studies/nonexpert-default';

/** Options of `runDemo` (`multirater demo`): size of the phantom, raters trained on, training length, seed. */
export interface DemoOptions {
  /** Output folder; default 'demo-output'. */
  out?: string;
  /** Simulated subjects (two cases each, ED and ES); default 16. */
  subjects?: number;
  /** In-plane matrix size of the phantom, pixels; default 64. */
  size?: number;
  /** Raters to train on; default expert and nonexpert1. */
  raters?: string[];
  /** Training iterations per model; default 300. */
  iterations?: number;
  /** Seed of the simulation and the training; default 1. */
  seed?: number;
  /** ONNX Runtime threads; default the physical cores. */
  threads?: number;
  /** Where progress lines go; default stderr. */
  log?: (line: string) => void;
}

/** One row of the comparison: a model trained on a rater, or that rater's own annotations. */
export interface DemoRow {
  /** The rater whose label maps trained the model, or whose own test annotations are scored. */
  rater: string;
  /** `model`: the U-Net trained on the rater's labels; `annotations`: the rater's own test label maps. */
  source: 'model' | 'annotations';
  /** Mean test Dice per structure name. */
  dice: Record<string, number | null>;
  /** Mean test HD95 per structure name, mm. */
  hd95: Record<string, number | null>;
  /** Mean absolute LV ejection-fraction error, percentage points. */
  lvEfError: number | null;
  /** Mean absolute RV ejection-fraction error, percentage points. */
  rvEfError: number | null;
}

/** What `runDemo` returns; the same rows and time are in `OUT/results.json`. */
export interface DemoResult {
  /** The output folder (`options.out`, default 'demo-output'): data/, models/, predictions/, results.*. */
  out: string;
  /** Per rater, the model's row then the rater's annotations' row, in `options.raters` order. */
  rows: DemoRow[];
  /** The table as printed (Markdown). */
  table: string;
  /** The figure of predictions (PNG) written beside the table. */
  figure: string;
  /** Wall time from start to the figure written, seconds. */
  seconds: number;
}

function row(rater: string, source: DemoRow['source'], e: DatasetEvaluation): DemoRow {
  const dice: Record<string, number | null> = {};
  const hd95: Record<string, number | null> = {};
  for (const [label, name] of Object.entries(e.labelNames)) {
    dice[name] = e.summary.labels[label]?.dice.mean ?? null;
    hd95[name] = e.summary.labels[label]?.hd95.mean ?? null;
  }
  return {
    rater,
    source,
    dice,
    hd95,
    lvEfError: e.clinical?.summary.lvEf_pct.absError.mean ?? null,
    rvEfError: e.clinical?.summary.rvEf_pct.absError.mean ?? null,
  };
}

/** The rows as a Markdown table; headers say which way is better (Dice ↑; HD95 and EF errors ↓). */
export function demoTable(rows: readonly DemoRow[]): string {
  const structures = rows.length === 0 ? [] : Object.keys(rows[0].dice);
  const table: ReportTable = {
    id: 'demo',
    title: 'Test subjects against the phantom truth',
    columns: [
      { key: 'what', label: 'trained on / source' },
      ...structures.map((s) => ({ key: `dice ${s}`, label: `Dice ${s}`, lowerIsBetter: false })),
      ...structures.map((s) => ({ key: `hd95 ${s}`, label: `HD95 ${s} (mm)`, lowerIsBetter: true, decimals: 1 })),
      { key: 'lvEf', label: 'EF abs. error LV (%)', lowerIsBetter: true, decimals: 1 },
      { key: 'rvEf', label: 'EF abs. error RV (%)', lowerIsBetter: true, decimals: 1 },
    ],
    rows: rows.map((r) => ({
      what: r.source === 'model' ? `U-Net trained on ${r.rater}` : `${r.rater} annotations`,
      ...Object.fromEntries(
        structures.flatMap((s) => [
          [`dice ${s}`, r.dice[s]],
          [`hd95 ${s}`, r.hd95[s]],
        ]),
      ),
      lvEf: r.lvEfError,
      rvEf: r.rvEfError,
    })),
    footnotes: ['Means over the test subjects. ↑ higher is better, ↓ lower is better.'],
  };
  return tableToMarkdown(table).trimEnd();
}

/** Creates the demo's folder, refusing in one line an existing file or a path through one. */
function createOutputFolder(out: string): void {
  assertFolderOutput('options.out', out);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a part of the path is an existing file'
        : (code ?? (e as Error).message);
    throw new MultiraterError('io_error', `${out}: cannot create the output folder (${why})`);
  }
}

/** Runs the demo; see the file comment. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = performance.now();
  const out = options.out ?? 'demo-output';
  const raters = options.raters ?? ['expert', 'nonexpert1'];
  const seed = options.seed ?? 1;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const elapsed = (): string => `[${((performance.now() - started) / 1000).toFixed(0)} s]`;
  const data = join(out, 'data');
  createOutputFolder(out);

  const subjects = options.subjects ?? 16;
  log(`${elapsed()} simulating a cardiac cine phantom: ${subjects} subjects, raters ${raters.join(', ')} → ${data}`);
  const sim = await simulateCardiacDataset({
    out: data,
    subjects,
    size: options.size ?? 64,
    seed,
    raters: [...new Set(['expert', ...raters])],
  });
  log(`${elapsed()} ${sim.cases} cases (train ${sim.splits.train}, val ${sim.splits.val}, test ${sim.splits.test})`);

  const rows: DemoRow[] = [];
  for (const rater of raters) {
    const modelDir = join(out, 'models', rater);
    log(`${elapsed()} training a 2D U-Net on ${rater}'s label maps`);
    const trained = await train(
      {
        data,
        labelSource: rater,
        out: modelDir,
        model: 'unet2d',
        loss: 'ce+dice',
        iterations: options.iterations ?? 300,
        seed,
        threads: options.threads,
        force: true,
      },
      progressReporter({ label: `  ${rater}`, writeLine: log }),
    );
    log(`${elapsed()} trained in ${trained.seconds.toFixed(0)} s; predicting the test subjects`);
    const predDir = join(out, 'predictions', rater);
    await predictDataset({ model: modelDir, data, split: 'test', out: predDir, threads: options.threads });
    log(`${elapsed()} evaluating ${rater}'s model and ${rater}'s own annotations against the truth`);
    rows.push(row(rater, 'model', evaluateDataset({ predDir, data, split: 'test', against: 'truth' })));
    rows.push(
      row(
        rater,
        'annotations',
        evaluateDataset({ predDir: join(data, 'raters', rater), data, split: 'test', against: 'truth' }),
      ),
    );
  }
  const table = demoTable(rows);
  const figure = writeDemoFigure({
    data,
    predictions: raters.map((rater) => ({ rater, dir: join(out, 'predictions', rater) })),
    out: join(out, 'predictions.png'),
  });
  const seconds = (performance.now() - started) / 1000;
  writeFileAtomic(
    join(out, 'results.md'),
    `# multirater demo: training on expert vs non-expert annotations\n\nTest subjects, against the phantom's truth (means).\n\n${table}\n\n![predictions](predictions.png)\n\n${figure.caption}\n`,
  );
  writeFileAtomic(join(out, 'results.json'), JSON.stringify({ rows, seconds }, null, 2) + '\n');
  log(`${elapsed()} done; results in ${join(out, 'results.md')}, predictions drawn in ${figure.out}`);
  return { out, rows, table, figure: figure.out, seconds };
}
