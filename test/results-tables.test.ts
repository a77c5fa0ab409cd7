/**
 * Results kept as data (scripts/results-tables.ts): the checkout's generated blocks agree with docs/results/ (this is
 * the `--check` that `npm test` runs), and on a temporary docs tree, `--check` fails on a hand-edited number, a
 * missing data file and a results file no page shows.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, resultsTables } from '../scripts/results-tables.ts';
import { provenanceLine, renderStudyReport, tableToMarkdown } from '../src/report/index.ts';
import { tempDir } from './dataset-trees.ts';
import { SAMPLE_PROVENANCE, SAMPLE_REPORT, SAMPLE_TABLE } from './study-report-sample.ts';

const REPO = resolve(import.meta.dirname, '..');
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A docs tree (README, one study page, the benchmarks page) and a finished sample study's OUT beside it. */
async function docsTree(): Promise<{ root: string; out: string; page: string; log: string[] }> {
  const base = tempDir('results-tables');
  roots.push(base);
  const root = join(base, 'checkout');
  mkdirSync(join(root, 'docs', 'studies'), { recursive: true });
  writeFileSync(join(root, 'README.md'), '# multirater\n');
  writeFileSync(join(root, 'docs', 'benchmarks.md'), '# Benchmarks\n\nStart-up times.\n');
  const page = join(root, 'docs', 'studies', 'sample.md');
  writeFileSync(page, '# The sample study\n\nWhat it asks.\n');
  const out = join(base, 'out');
  await renderStudyReport({ ...SAMPLE_REPORT, provenance: SAMPLE_PROVENANCE }, join(out, 'report'));
  return { root, out, page, log: [] };
}

describe('results tables', () => {
  it("this checkout's generated blocks agree with docs/results/ (results-tables --check)", () => {
    expect(resultsTables(REPO, 'check').problems).toEqual([]);
  });

  it('--add copies a report and its tables into docs/results/ and writes its measured results into the study page', async () => {
    const { root, out, page, log } = await docsTree();
    expect(await main(['--root', root, '--add', out], (l) => log.push(l))).toBe(0);
    expect(log).toEqual([
      `docs/results/sample-smoke/: copied from ${out}`,
      'docs/studies/sample.md: generated blocks rewritten',
    ]);
    const dest = join(root, 'docs', 'results', 'sample-smoke');
    expect(readFileSync(join(dest, 'report.json'))).toEqual(readFileSync(join(out, 'report', 'report.json')));
    expect(readFileSync(join(dest, 'tables', 'table1-lv.csv'))).toEqual(
      readFileSync(join(out, 'report', 'tables', 'table1-lv.csv')),
    );
    const text = readFileSync(page, 'utf8');
    expect(text.startsWith('# The sample study\n\nWhat it asks.\n\n<!-- results-tables sample-smoke (generated')).toBe(
      true,
    );
    expect(text).toContain(
      [
        '## Measured results',
        `${provenanceLine(SAMPLE_PROVENANCE, SAMPLE_REPORT)} Data: [report.json](../results/sample-smoke/report.json).`,
        '### LV, in-domain test subjects',
        tableToMarkdown(SAMPLE_TABLE).trimEnd(),
      ].join('\n\n') + '\n\n<!-- /results-tables sample-smoke -->\n',
    );
    expect(provenanceLine(SAMPLE_PROVENANCE, SAMPLE_REPORT)).toBe(
      '`multirater study run sample --preset smoke --out runs/sample` on commit 5accbea, 2026-12-07 08:43 UTC, 2 cores (AMD EPYC), 23.5 GiB, linux-x64, Node v20.20.2; 1 worker × 2 threads; job time 64.8 s (evaluate 3.5, train 61.3).',
    );
    expect(resultsTables(root, 'check').problems).toEqual([]);
    // Rewriting is idempotent: the page is not touched again.
    expect(resultsTables(root, 'write').written).toEqual([]);
  });

  it('--check exits non-zero naming the page, line and block when a number in a block was edited by hand', async () => {
    const { root, out, page } = await docsTree();
    await main(['--root', root, '--add', out], () => {});
    const good = readFileSync(page, 'utf8');
    writeFileSync(page, good.replace('| 0.912 ± 0.031 |', '| 0.915 ± 0.031 |'));
    expect(readFileSync(page, 'utf8')).not.toBe(good);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'scripts', 'results-tables.ts'), '--root', root, '--check'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    const line = good.split('\n').findIndex((l) => l.includes('| 0.912 ± 0.031 |')) + 1;
    expect(run.stderr.trim()).toBe(
      `docs/studies/sample.md:${line}: block sample-smoke differs from docs/results/sample-smoke/report.json: "| expert | 0.915 ± 0.031 | 4.3 ± 1.0 | 12 |" where the data gives "| expert | 0.912 ± 0.031 | 4.3 ± 1.0 | 12 |"; \`npx tsx scripts/results-tables.ts\` rewrites it`,
    );
    // Without --check the block is rewritten from the data.
    expect(resultsTables(root, 'write').written).toEqual(['docs/studies/sample.md']);
    expect(readFileSync(page, 'utf8')).toBe(good);
  });

  it('--check fails on a block whose data file is missing, and on a results file no page shows', async () => {
    const { root, out, page } = await docsTree();
    await main(['--root', root, '--add', out], () => {});
    rmSync(join(root, 'docs', 'results'), { recursive: true });
    const line =
      readFileSync(page, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('<!-- results-tables ')) + 1;
    const missing = `docs/studies/sample.md:${line}: block sample-smoke: docs/results/sample-smoke/report.json is missing`;
    expect(resultsTables(root, 'check').problems).toEqual([missing]);
    expect(resultsTables(root, 'write').problems).toEqual([missing]);

    writeFileSync(page, '# The sample study\n');
    expect(await main(['--root', root, '--add', out, '--check'], () => {})).toBe(1);
    expect(resultsTables(root, 'check').problems).toEqual([
      'docs/results/sample-smoke/report.json: no page shows it (docs/studies/sample.md holds no block sample-smoke); `npx tsx scripts/results-tables.ts` appends one',
    ]);
  });

  it('--add-bench wraps a benchmark with provenance and renders its objects of numbers as tables', async () => {
    const { root } = await docsTree();
    const raw = join(root, '..', 'startup.json');
    const startup = {
      rounds: 7,
      shape: [256, 256, 128],
      nodeAlone: { wallMedian: 0.063, cpuMedian: 0.05 },
      eval: { wallMedian: 0.321, cpuMedian: 0.412 },
      overNodeAloneWall: { help: 0.023, info: 0.046 },
      evalOverItkWall: 0.64,
    };
    writeFileSync(raw, JSON.stringify(startup));
    const command = 'npx tsx scripts/bench-startup.ts --rounds 7';
    expect(await main(['--root', root, '--add-bench', raw, 'startup', '--command', command], () => {})).toBe(0);
    const bench = JSON.parse(readFileSync(join(root, 'docs', 'results', 'bench-startup.json'), 'utf8'));
    expect(bench.result).toEqual(startup);
    expect(bench.provenance.command).toBe(command);
    expect(bench.provenance.machine.node).toBe(process.version);
    const text = readFileSync(join(root, 'docs', 'benchmarks.md'), 'utf8');
    expect(text).toContain(
      [
        `${provenanceLine(bench.provenance)} Data: [bench-startup.json](results/bench-startup.json).`,
        'rounds: 7; shape: [256,256,128]; evalOverItkWall: 0.64.',
        '| measure | wallMedian | cpuMedian |\n| --- | ---: | ---: |\n| nodeAlone | 0.063 | 0.050 |\n| eval | 0.321 | 0.412 |',
        '| measure | help | info |\n| --- | ---: | ---: |\n| overNodeAloneWall | 0.023 | 0.046 |',
      ].join('\n\n'),
    );
    expect(resultsTables(root, 'check').problems).toEqual([]);
  });

  it("--add-estimate keeps a study's estimates per machine count and puts the measured run's wall time beside them", async () => {
    const { root, page } = await docsTree();
    const out = join(root, '..', 'timed-out');
    await renderStudyReport(
      { ...SAMPLE_REPORT, provenance: { ...SAMPLE_PROVENANCE, wallSeconds: 100 } },
      join(out, 'report'),
    );
    await main(['--root', root, '--add', out], () => {});
    const estimate = (machines: number, wallSeconds: number): string => {
      const file = join(root, '..', `estimate-${machines}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          schemaVersion: 1,
          study: 'sample',
          preset: 'smoke',
          machines,
          workers: 1,
          threads: 2,
          machine: { cpu: 'AMD EPYC', cpus: 2 },
          kinds: [
            { kind: 'train', jobs: 2, seconds: 7200, share: 0.9, method: 'per-step' },
            { kind: 'evaluate', jobs: 4, seconds: 800, share: 0.1, method: 'one-run' },
          ],
          jobs: [{}, {}, {}, {}, {}, {}],
          jobSeconds: 8000,
          wallSeconds,
          calibration: {
            file: '/tmp/x/calibration.json',
            classes: 3,
            calibrated: 3,
            seconds: machines === 1 ? 75 : 0,
            load: [1, 1],
          },
        }),
      );
      return file;
    };
    // Given in either order; kept by machine count.
    const files = [estimate(10, 900), estimate(1, 110)];
    expect(await main(['--root', root, '--add-estimate', ...files, '--calibration-steps', '6'], () => {})).toBe(0);
    const kept = JSON.parse(readFileSync(join(root, 'docs', 'results', 'estimate-sample-smoke.json'), 'utf8'));
    expect(kept.estimates.map((e: { machines: number }) => e.machines)).toEqual([1, 10]);
    expect(kept.estimates[0].jobs).toBeUndefined();
    const text = readFileSync(page, 'utf8');
    expect(text).toContain(
      [
        '## Estimated cost of `--preset smoke`',
        `${provenanceLine(kept.provenance)} Data: [estimate-sample-smoke.json](../results/estimate-sample-smoke.json).`,
        '6 jobs, 2 h 13 min of CPU time on AMD EPYC (2 CPUs), from a calibration of 3 cost classes (6 steps per training class, 1 min 15 s).',
        '| kind | jobs | CPU time | share | estimated by |\n| --- | ---: | --- | --- | --- |\n| train | 2 | 2 h 00 min | 90.0 % | per-step model |\n| evaluate | 4 | 13 min 20 s | 10.0 % | one run per class |',
        // 110 s predicted against 100 s measured at the same workers and threads: +10 %.
        '- 1 machine(s) × 1 worker(s), 2 thread(s) per job: predicted wall **1 min 50 s**; measured 1 min 40 s (estimate +10.0 %)\n- 10 machine(s) × 1 worker(s), 2 thread(s) per job: predicted wall **15 min 00 s**',
      ].join('\n\n'),
    );
    expect(resultsTables(root, 'check').problems).toEqual([]);
    // Block `estimates` on any page: one row per estimate file.
    const summary = join(root, 'docs', 'costs.md');
    writeFileSync(summary, '# Costs\n\n<!-- results-tables estimates -->\n<!-- /results-tables estimates -->\n');
    expect(resultsTables(root, 'write').written).toEqual(['docs/costs.md']);
    expect(readFileSync(summary, 'utf8')).toContain(
      '| sample | smoke | 6 | 2 h 13 min | 1 min 50 s | 15 min 00 s | 1 min 40 s | +10.0 % | 6 |',
    );
    expect(resultsTables(root, 'check').problems).toEqual([]);
    writeFileSync(join(root, '..', 'bad.json'), JSON.stringify({ study: 'sample' }));
    const log: string[] = [];
    expect(await main(['--root', root, '--add-estimate', join(root, '..', 'bad.json')], (l) => log.push(l))).toBe(1);
    expect(log[0]).toMatch(/bad\.json: not a `study plan --estimate --json` output \(preset: /);
  });
});
