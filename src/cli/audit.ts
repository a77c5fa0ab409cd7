/**
 * `multirater audit --data DIR --rater R [--folds 5] [--model NAME] [--iterations N] --out DIR [--json]`: ranks
 * the rater's cases by how suspicious their labels are (see src/audit/audit.ts). Progress on stderr.
 */
import type { Command } from 'commander';
import type { AuditEvent, AuditResult } from '../audit/index.ts';
import { TRAIN_DEFAULTS } from '../train/index.ts';
import { formatNumber, formatTable } from './format-table.ts';
import { printJson } from './output.ts';
import { commaList, integer, optional, positiveInteger, positiveNumber } from './parse-number.ts';

interface AuditFlags {
  data: string;
  rater: string;
  reference?: string;
  out: string;
  folds?: string;
  model?: string;
  iterations?: string;
  batch?: string;
  loss?: string;
  patch?: string;
  seed?: string;
  raters?: string;
  temperature?: string;
  minRegion?: string;
  threads?: string;
  json?: boolean;
}

/**
 * Adds `multirater audit` to `program`: parses the flags into `runAudit`'s options, prints the ranked cases or JSON.
 */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description("find a rater's bad labels: out-of-fold predictions, suspicious regions, cases ranked")
    .requiredOption('--data <dir>', 'dataset folder (with dataset.json)')
    .requiredOption('--rater <name>', 'the rater whose labels are audited')
    .option(
      '--reference <name>',
      'the rater the fold models learn from (default the audited rater; an expert finds what the audited rater omits systematically)',
    )
    .requiredOption(
      '--out <dir>',
      'output folder (audit.json, audit.csv, regions/, probabilities/, folds/); a rerun resumes',
    )
    .option('--folds <k>', 'cross-validation folds (default 5)')
    .option(
      '--model <name>',
      `network trained per fold (default ${TRAIN_DEFAULTS.model}, slice-wise also on 3D volumes)`,
    )
    .option('--iterations <n>', `training iterations per fold (default ${TRAIN_DEFAULTS.iterations})`)
    .option('--batch <n>', "samples per batch (default the trainer's)")
    .option(
      '--loss <name>',
      'training loss of the fold models (default ce: a proper scoring rule, so the probabilities stay calibrated)',
    )
    .option('--patch <list>', 'patch size in voxels, e.g. 96,96')
    .option('--seed <s>', 'seed of the folds and the training (default 1)')
    .option(
      '--raters <list>',
      'raters for the reliability and departure part, comma-separated (default every rater of the dataset)',
    )
    .option('--temperature <t>', 'cleanlab softmin temperature (default 0.1)')
    .option('--min-region <voxels>', 'drop suspicious regions smaller than this (default 10)')
    .option('--threads <n>', 'ONNX Runtime threads (default: physical cores)')
    .option('--json', 'print the audit as JSON only (progress still on stderr)')
    .action(async (flags: AuditFlags) => {
      const { runAudit } = await import('../audit/index.ts');
      const { parseLossName } = await import('../losses/index.ts');
      const result = await runAudit({
        data: flags.data,
        rater: flags.rater,
        reference: flags.reference,
        out: flags.out,
        folds: optional(flags.folds, (t) => positiveInteger('--folds', t)),
        model: flags.model,
        iterations: optional(flags.iterations, (t) => positiveInteger('--iterations', t)),
        batchSize: optional(flags.batch, (t) => positiveInteger('--batch', t)),
        loss: optional(flags.loss, parseLossName),
        patchSize: optional(flags.patch, (t) => t.split(',').map((s) => positiveInteger('--patch', s))),
        seed: optional(flags.seed, (t) => integer('--seed', t)),
        raters: optional(flags.raters, commaList),
        temperature: optional(flags.temperature, (t) => positiveNumber('--temperature', t)),
        minRegionVoxels: optional(flags.minRegion, (t) => positiveInteger('--min-region', t)),
        threads: optional(flags.threads, (t) => positiveInteger('--threads', t)),
        onEvent: progressLine,
      });
      if (flags.json) return printJson(result);
      process.stdout.write(auditText(result) + '\n');
    });
}

function progressLine(e: AuditEvent): void {
  if (e.type === 'fold')
    process.stderr.write(
      `audit: fold ${e.fold}/${e.folds}: training on ${e.trainCases} cases, predicting ${e.heldOut}\n`,
    );
  else if (e.type === 'train' && e.event.type === 'step' && (e.event.iteration + 1) % 50 === 0) {
    process.stderr.write(
      `audit: fold ${e.fold}: iteration ${e.event.iteration + 1}, loss ${e.event.loss.toFixed(4)}\n`,
    );
  } else if (e.type === 'scored' && (e.done === e.total || e.done % 10 === 0))
    process.stderr.write(`audit: scored ${e.done}/${e.total} cases\n`);
}

function auditText(r: AuditResult): string {
  const out = [
    `${r.dataset}: rater ${r.rater}${r.reference === r.rater ? '' : ` (models learned from ${r.reference})`}, ${r.cases.length} cases, ${r.folds} folds of ${r.model} (${r.iterations} iterations, ${r.loss}), ${r.seconds.toFixed(0)} s`,
    '',
  ];
  const withOthers = r.cases.some((c) => c.departureRegions !== null);
  const slices = (x: { slices: [number, number] } | undefined) => (x ? `${x.slices[0]}–${x.slices[1]}` : '–');
  const rows = r.cases
    .slice(0, 15)
    .map((c) => [
      String(c.rank),
      c.caseId,
      formatNumber(c.largestRegion_mL, 3),
      c.regions[0]?.kind ?? '–',
      slices(c.regions[0]),
      formatNumber(c.softmin, 4),
      ...(withOthers
        ? [
            c.departureRegions === null
              ? ''
              : `${c.departureRegions.length} (${formatNumber(c.departureRegions[0]?.volume_mL ?? 0, 3)} mL, ${c.departureRegions[0]?.kind ?? '–'}, ${slices(c.departureRegions[0])})`,
          ]
        : []),
      c.knownNoisy === null ? '' : c.knownNoisy ? 'noisy' : 'clean',
    ]);
  const header = [
    'rank',
    'case',
    'largest region (mL)',
    'kind',
    'slices',
    'softmin (↓ worse)',
    ...(withOthers ? ['departures from the others (largest)'] : []),
    'known',
  ];
  out.push(formatTable([header, ...rows]));
  if (r.cases.length > 15) out.push(`… ${r.cases.length - 15} more in audit.csv`);
  if (r.knownNoise) {
    out.push(
      '',
      `known noisy cases ${r.knownNoise.noisy}, clean ${r.knownNoise.clean}: ROC AUC ours ${formatNumber(r.knownNoise.aucOurs, 3)}, softmin ${formatNumber(r.knownNoise.aucSoftmin, 3)}`,
    );
  }
  if (r.raters) {
    out.push('', 'rater reliability (multi-label STAPLE per case, mean) and agreement with the others');
    out.push(
      formatTable([
        ['rater', 'cases', 'sensitivity', 'specificity', 'median Dice vs others'],
        ...r.raters.reliability.map((x) => [
          x.rater,
          String(x.cases),
          formatNumber(x.sensitivity, 3),
          formatNumber(x.specificity, 3),
          formatNumber(x.medianDice, 3),
        ]),
      ]),
    );
    const top = r.raters.departures.slice(0, 5).filter((d) => d.departure > 0.05);
    if (top.length > 0)
      out.push(
        '',
        'largest departures: ' +
          top
            .map((d) => `${d.rater} on ${d.caseId} (Dice ${d.dice.toFixed(3)} vs median ${d.medianDice.toFixed(3)})`)
            .join('; '),
      );
  }
  return out.join('\n');
}
