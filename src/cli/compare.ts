/** `multirater compare A.json B.json [--paired [--wilcoxon]]`: which of two dataset-mode evaluations is better, per label and metric. */
import type { Command } from 'commander';
import { compareEvaluations, readEvaluation, type MetricComparison } from '../evaluation/index.ts';
import { formatNumber, formatTable } from './format-table.ts';
import { printJson } from './output.ts';

/** Adds `multirater compare A.json B.json` to `program`: `compareEvaluations` of two `eval --json` dataset results. */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      'compare two `eval --json` dataset results: mean difference, p-value (paired t or Welch), Holm-adjusted, which is better',
    )
    .argument('<a>', 'evaluation JSON of method A')
    .argument('<b>', 'evaluation JSON of method B')
    .option('--paired', 'paired t-test over the same cases (default: Welch t-test)')
    .option('--wilcoxon', 'with --paired: Wilcoxon signed-rank test instead of the paired t-test')
    .option('--json', 'print JSON only')
    .action((a: string, b: string, opts: { paired?: boolean; wilcoxon?: boolean; json?: boolean }) => {
      const result = compareEvaluations(readEvaluation(a), readEvaluation(b), {
        paired: opts.paired,
        test: opts.wilcoxon ? 'wilcoxon' : 't',
        names: [a, b],
      });
      if (opts.json) return printJson(result);
      const header = ['label', 'metric', 'mean A', 'mean B', 'A − B', 'n', 'p', 'p (Holm)', 'better'];
      const row = (label: string, metric: string, c: MetricComparison) => [
        label,
        metric,
        formatNumber(c.meanA),
        formatNumber(c.meanB),
        formatNumber(c.meanDifference),
        String(c.n),
        formatNumber(c.p),
        formatNumber(c.pHolm),
        c.better === null ? '–' : `${c.better}${c.significant ? ' *' : ''}`,
      ];
      const rows = Object.entries(result.labels).flatMap(([label, metrics]) =>
        Object.entries(metrics).map(([m, c]) => row(label, m, c)),
      );
      if (result.clinicalAbsError)
        rows.push(...Object.entries(result.clinicalAbsError).map(([m, c]) => row('clinical', `|${m} error|`, c)));
      const title = `${opts.wilcoxon ? 'Wilcoxon signed-rank test' : result.paired ? 'paired t-test' : 'Welch t-test'}, A = ${a} (${result.casesA} cases), B = ${b} (${result.casesB} cases); * = Holm-adjusted p < ${result.alpha}${result.paired ? '; mean A, mean B and A − B over the n cases with a value in both' : ''}`;
      process.stdout.write(`${title}\n${formatTable([header, ...rows])}\n`);
    });
}
