/**
 * `multirater study list|plan|run|status|report`: studies as plans of resumable jobs (src/experiments/). `run`
 * runs locally with `--workers N` child processes or, with `--queue redis://HOST:PORT`, on BullMQ workers
 * (`multirater worker`) sharing OUT; progress on stderr; Ctrl-C stops cleanly (exit 130); failed jobs exit 1.
 * An OUT holding another study is refused unless `--force`; `report` refuses while a job has not finished.
 */
import type { Command } from 'commander';
import type { PresetName, StudyPlan } from '../experiments/index.ts';
import { runWithFlags } from './option-flags.ts';
import { printJson } from './output.ts';
import { integer, positiveInteger } from './parse-number.ts';

interface PlanFlags {
  preset: string;
  data?: string;
  shiftedData?: string;
  seed?: string;
  json?: boolean;
}

interface EstimateFlags extends PlanFlags {
  estimate?: boolean;
  out?: string;
  machines?: string;
  workers?: string;
  threads?: string;
  recalibrate?: boolean;
  calibrationSteps?: string;
}

interface RunFlags extends PlanFlags {
  out?: string;
  workers?: string;
  threads?: string;
  queue?: string;
  queueName?: string;
  redisTimeout?: string;
  force?: boolean;
}

async function preset(text: string): Promise<PresetName> {
  const { PRESET_NAMES } = await import('../experiments/index.ts');
  const { MultiraterError } = await import('../errors.ts');
  if (!(PRESET_NAMES as readonly string[]).includes(text))
    throw new MultiraterError('invalid_argument', `--preset must be one of ${PRESET_NAMES.join(', ')}, got "${text}"`);
  return text as PresetName;
}

const planOptions = (flags: PlanFlags) => ({
  data: flags.data,
  shiftedData: flags.shiftedData,
  seed: flags.seed === undefined ? undefined : integer('--seed', flags.seed),
});

function withPlanFlags(command: Command): Command {
  return command
    .requiredOption('--preset <name>', 'smoke | default | paper', 'default')
    .option('--data <dir>', 'train and test on this dataset folder instead of the phantom')
    .option('--shifted-data <dir>', 'shifted-domain test dataset (evaluated against its own truth)')
    .option('--seed <s>', 'base seed (default 1)');
}

/** `study plan --estimate`: calibrates (progress on stderr) and prints the predicted times per kind and the wall time. */
async function printEstimate(plan: StudyPlan, flags: EstimateFlags): Promise<void> {
  const { MultiraterError } = await import('../errors.ts');
  if (flags.out === undefined)
    throw new MultiraterError(
      'invalid_argument',
      '--estimate needs --out DIR: the study folder, where simulate jobs run for real and the calibration is kept',
    );
  const { estimateStudy } = await import('../bench/index.ts');
  const estimate = await runWithFlags({}, () =>
    estimateStudy(plan, {
      out: flags.out as string,
      machines: flags.machines === undefined ? undefined : positiveInteger('--machines', flags.machines),
      workers: flags.workers === undefined ? undefined : positiveInteger('--workers', flags.workers),
      threads: flags.threads === undefined ? undefined : positiveInteger('--threads', flags.threads),
      recalibrate: flags.recalibrate,
      calibrationSteps:
        flags.calibrationSteps === undefined
          ? undefined
          : positiveInteger('--calibration-steps', flags.calibrationSteps),
      onProgress: (e) => {
        if (e.type === 'calibrate') process.stderr.write(`calibrating ${e.kind} (class ${e.costClass}) as ${e.key}\n`);
        if (e.type === 'simulate' && e.status === 'done')
          process.stderr.write(`ran ${e.key} for real (${e.seconds.toFixed(1)} s; study run reuses it)\n`);
      },
    }),
  );
  if (flags.json) return printJson(estimate);
  const { formatTable } = await import('./format-table.ts');
  const { ESTIMATE_METHOD_LABELS, formatWall } = await import('../bench/index.ts');
  const rows = estimate.kinds.map((k) => [
    k.kind,
    String(k.jobs),
    k.seconds.toFixed(1),
    `${(100 * k.share).toFixed(1)} %`,
    ESTIMATE_METHOD_LABELS[k.method],
  ]);
  const { calibration: c } = estimate;
  const threads = estimate.threads === null ? 'all cores' : `${estimate.threads} thread(s)`;
  process.stdout.write(
    [
      `${estimate.study} --preset ${estimate.preset}: ${estimate.jobs.length} jobs on ${estimate.machines} machine(s) × ${estimate.workers} worker(s), ${threads} per job (${estimate.machine.cpu}, ${estimate.machine.cpus} CPUs)`,
      '',
      formatTable([['kind', 'jobs', 'job-seconds', 'share', 'estimated by'], ...rows]),
      '',
      `total ${estimate.jobSeconds.toFixed(0)} job-seconds; predicted wall ${formatWall(estimate.wallSeconds)}`,
      `calibration: ${c.classes} cost classes, ${c.calibrated} calibrated now (${c.seconds.toFixed(0)} s, load ${c.load[0].toFixed(1)} → ${c.load[1].toFixed(1)}), cached in ${c.file}`,
    ].join('\n') + '\n',
  );
}

/**
 * Adds `multirater study list|plan|run|status|report` to `program` (`planStudy`, `estimateStudy`, `runStudy`,
 * `studyStatus`, `writeStudyReport`).
 */
export function registerStudy(program: Command): void {
  const study = program
    .command('study')
    .description('run a study: a plan of resumable jobs, locally or on a Redis queue');
  study
    .command('list')
    .description('the studies and their presets')
    .option('--json', 'print JSON only')
    .action(async (flags: { json?: boolean }) => {
      const { BUILTIN_STUDIES } = await import('../experiments/index.ts');
      const studies = [...BUILTIN_STUDIES.values()].map((s) => ({ name: s.name, title: s.title, presets: s.presets }));
      if (flags.json) return printJson({ studies });
      for (const s of studies) {
        process.stdout.write(`${s.name}  ${s.title}\n`);
        for (const [p, text] of Object.entries(s.presets)) process.stdout.write(`  --preset ${p.padEnd(8)} ${text}\n`);
      }
    });
  withPlanFlags(
    study
      .command('plan')
      .description('the jobs of a study, without running them')
      .argument('<name>', 'study name (see study list)'),
  )
    .option('--json', 'print JSON only')
    .option(
      '--estimate',
      'predict CPU time per job kind and wall time from a short calibration on this machine (needs --out: simulate jobs run there for real, the calibration is cached in OUT/estimate/)',
    )
    .option('--out <dir>', 'with --estimate: the study folder (as `study run --out`)')
    .option('--machines <n>', 'with --estimate: machines like this one (default 1)')
    .option('--workers <n>', 'with --estimate: jobs at once per machine (default 1, as `study run`)')
    .option('--threads <n>', 'with --estimate: ONNX Runtime threads per job (default: cores / workers)')
    .option('--recalibrate', 'with --estimate: calibrate again instead of reusing OUT/estimate/calibration.json')
    .option(
      '--calibration-steps <n>',
      'with --estimate: optimiser steps per training calibration (default 40, at least 6; fewer for slow networks)',
    )
    .action(async (name: string, flags: EstimateFlags) => {
      const { planStudy } = await import('../experiments/index.ts');
      const { getJobKind } = await import('../experiments/index.ts');
      const plan = planStudy(name, await preset(flags.preset), planOptions(flags));
      if (flags.estimate) return printEstimate(plan, flags);
      const { MultiraterError } = await import('../errors.ts');
      for (const flag of ['out', 'machines', 'workers', 'threads', 'recalibrate', 'calibrationSteps'] as const)
        if (flags[flag] !== undefined)
          throw new MultiraterError(
            'invalid_argument',
            `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is an option of --estimate, given without it`,
          );
      const jobs = plan.jobs.map((j) => ({
        kind: j.kind,
        id: j.id,
        key: j.key,
        needs: j.needs,
        tags: j.tags,
        settings: getJobKind(j.kind).describe(j),
      }));
      if (flags.json)
        return printJson({
          study: plan.study,
          preset: plan.preset,
          settings: plan.settings,
          seeds: plan.seeds,
          jobs,
          spec: plan.jobs.map((j) => j.spec),
        });
      const { formatTable } = await import('./format-table.ts');
      const needs = (n: string[]): string => (n.length === 0 ? '–' : n.length > 3 ? `${n.length} jobs` : n.join(' '));
      const rows = jobs.map((j) => [j.key, needs(Object.values(j.needs)), j.settings]);
      process.stdout.write(
        `${plan.study} --preset ${plan.preset}: ${jobs.length} jobs\n\n${formatTable([['job', 'needs', 'settings'], ...rows])}\n`,
      );
    });
  withPlanFlags(
    study
      .command('run')
      .description('run a study (resumes: finished jobs are skipped)')
      .argument('<name>', 'study name (see study list)'),
  )
    .option('--out <dir>', 'output folder (default studies/NAME-PRESET)')
    .option('--workers <n>', 'local worker processes (default 1: all cores to ONNX Runtime)')
    .option('--threads <n>', 'ONNX Runtime threads per job (default: cores / workers)')
    .option('--queue <url>', 'enqueue on BullMQ at this Redis URL and wait for `multirater worker`s')
    .option('--queue-name <name>', 'BullMQ queue name (default multirater)')
    .option('--redis-timeout <ms>', 'with --queue: give up when Redis stays unreachable this long (default 30000)')
    .option(
      '--force',
      'OUT holds another study, preset, seed or data (or an unreadable study.json): replace it, removing its report/ and study.json; its job folders stay (named by the hash of their spec, they are reused where the new plan shares them)',
    )
    .option('--json', 'print the run summary as JSON')
    .action(async (name: string, flags: RunFlags) => {
      const { runStudy } = await import('../experiments/index.ts');
      const { MultiraterError } = await import('../errors.ts');
      const p = await preset(flags.preset);
      const out = flags.out ?? `studies/${name}-${p}`;
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const result = await runWithFlags({}, () =>
        runStudy({
          study: name,
          preset: p,
          out,
          ...planOptions(flags),
          workers: flags.workers === undefined ? undefined : positiveInteger('--workers', flags.workers),
          threads: flags.threads === undefined ? undefined : positiveInteger('--threads', flags.threads),
          queue: flags.queue,
          queueName: flags.queueName,
          redisTimeoutMs:
            flags.redisTimeout === undefined ? undefined : positiveInteger('--redis-timeout', flags.redisTimeout),
          force: flags.force,
          signal: controller.signal,
        }),
      );
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const { run } = result;
      if (flags.json) printJson({ out, ...run, reportFiles: result.reportFiles });
      else {
        const unfinished = run.failed.length + run.blocked.length;
        const report =
          result.reportFiles.length > 0
            ? `; report in ${result.reportFiles.join(', ')}`
            : unfinished > 0
              ? '; no report while jobs have not finished (`study report --partial` for the finished ones)'
              : '';
        process.stderr.write(
          `${name} --preset ${p}: ${run.ran} jobs run, ${run.skipped} already done, ${run.failed.length} failed, ${run.blocked.length} not run, ${run.seconds.toFixed(1)} s${report}\n`,
        );
      }
      if (run.interrupted) {
        process.stderr.write(`interrupted; run the same command again to continue\n`);
        process.exitCode = 130;
        return;
      }
      if (run.failed.length > 0) {
        const first = run.failed[0];
        throw new MultiraterError(
          'job_failed',
          `${run.failed.length} job(s) failed, first ${first.key} (${first.specPath}): ${first.message.split('\n')[0]}`,
        );
      }
    });
  study
    .command('status')
    .description('jobs done, failed and started in a study folder')
    .argument('<dir>', 'the study output folder')
    .option('--json', 'print JSON only')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const { studyStatus } = await import('../experiments/index.ts');
      const status = studyStatus(dir);
      if (flags.json) return printJson(status);
      const kinds = Object.entries(status.byKind)
        .map(([k, v]) => `${k} ${v.done}/${v.total}`)
        .join(', ');
      const unreadable = status.unreadable.length > 0 ? `, ${status.unreadable.length} unreadable` : '';
      const lines = [
        `${status.study} --preset ${status.preset}: ${status.done}/${status.total} jobs done (${kinds}), ${status.started} started, ${status.failed.length} failed${unreadable}; ${status.wallSeconds} s of job time`,
      ];
      for (const f of status.failed) lines.push(`  failed ${f.key} (${f.specPath}): ${f.message.split('\n')[0]}`);
      for (const u of status.unreadable) lines.push(`  unreadable ${u.key}: ${u.problem}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
  study
    .command('report')
    .description(
      'rebuild OUT/report/ from the jobs; refused while a job has not finished (never run, failed, its folder missing or its records unreadable), naming them',
    )
    .argument('<dir>', 'the study output folder')
    .option('--html <file>', 'path of the HTML page (default OUT/report/report.html)')
    .option(
      '--partial',
      'report the finished jobs even when others have not finished (their numbers are then missing from the tables)',
    )
    .action(async (dir: string, opts: { html?: string; partial?: boolean }) => {
      const { writeStudyReport } = await import('../experiments/index.ts');
      const { files, unfinished } = await writeStudyReport(dir, { html: opts.html, partial: opts.partial });
      if (unfinished.length > 0)
        process.stderr.write(
          `partial report: ${unfinished.length} job(s) not finished, first ${unfinished[0].key} (${unfinished[0].why})\n`,
        );
      process.stdout.write(files.join('\n') + '\n');
    });
}
