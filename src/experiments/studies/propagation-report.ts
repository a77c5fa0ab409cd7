/**
 * The propagation study's report. Table 1 (the seed's): Dice per structure (LV, MYO, RV, their mean) per test
 * vendor (A–D) and in total, per training arm, as mean ± sd over the test cases (ED and ES), each case's value first
 * averaged over repeats; `*` marks p < 0.05 against the ED/ES-only baseline (two-sided paired t-test over the same
 * cases), Holm-adjusted p in table `tests`. Table 2: Dice of the propagated labels against the phantom's truth per
 * cine frame and method. Table 3: field quality and time of propagation. Table 4: ED→ES registration accuracy and
 * time on mid-ventricular slices, our demons beside ITK's and elastix when they ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PropagatedFrame } from '../../registration/index.ts';
import { testsTable, type ReportCell, type ReportTable, type StudyReport } from '../../report/index.ts';
import { holmAdjust } from '../../stats/index.ts';
import { summarize } from '../../stats/index.ts';
import type { TTestResult } from '../../stats/index.ts';
import { finishedRecords, type EvaluationRecords } from '../evaluation-records.ts';
import { jobDir } from '../job.ts';
import type { PairRecord } from '../jobs/register-pairs.ts';
import { evaluationsFinished, reportHeader, type FinishedStudy } from '../study.ts';
import { pairedById } from './paired-by-id.ts';
import type { PropagationPlanSettings } from './propagation.ts';

const STRUCTURES = ['LV', 'MYO', 'RV'];
const VENDORS = ['A', 'B', 'C', 'D'];

/** A column of Dice values (higher is better, 3 decimals). */
const diceColumn = (key: string, label: string) => ({ key, label, decimals: 3, lowerIsBetter: false });

/** Case key → value (averaged over repeats) for one arm, vendor (null: all) and structure ('mean': of the three). */
function caseValues(
  records: EvaluationRecords,
  arm: string,
  vendor: string | null,
  structure: string,
): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of records.cases) {
    if (r.tags.arm !== arm || (vendor !== null && r.vendor !== vendor)) continue;
    const values =
      structure === 'mean' ? STRUCTURES.map((s) => r.metrics[s]?.dice ?? null) : [r.metrics[structure]?.dice ?? null];
    if (values.some((v) => v === null)) continue;
    const v = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    const key = `${r.tags.testSet}|${r.caseId}`;
    const acc = sums.get(key) ?? { sum: 0, n: 0 };
    acc.sum += v;
    acc.n++;
    sums.set(key, acc);
  }
  return new Map([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, { sum, n }]) => [k, sum / n]));
}

interface TestRecord {
  vendor: string;
  structure: string;
  arm: string;
  result: TTestResult;
  pHolm: number | null;
}

function segmentationTables(records: EvaluationRecords, armNames: readonly string[], repeats: number): ReportTable[] {
  const baseline = armNames[0];
  const vendors = [...VENDORS.filter((v) => records.cases.some((r) => r.vendor === v)), 'total'];
  const columns = [...STRUCTURES, 'mean'];
  const tests: TestRecord[] = [];
  const rows: Record<string, ReportCell>[] = [];
  for (const vendor of vendors) {
    for (const arm of armNames) {
      const row: Record<string, ReportCell> = { vendor, arm };
      for (const structure of columns) {
        const values = caseValues(records, arm, vendor === 'total' ? null : vendor, structure);
        const summary = summarize([...values.values()]);
        let marks: string[] | undefined;
        if (arm !== baseline) {
          const result = pairedById(
            values,
            caseValues(records, baseline, vendor === 'total' ? null : vendor, structure),
          );
          if (result !== null) {
            tests.push({ vendor, structure, arm, result, pHolm: null });
            if (result.p !== null && result.p < 0.05) marks = ['*'];
          }
        }
        row[structure] = { mean: summary.mean, sd: summary.sd, n: summary.n, ...(marks ? { marks } : {}) };
      }
      if (rows.length === 0 || (row[columns[0]] as { n: number }).n > 0) rows.push(row);
    }
  }
  holmAdjust(tests.map((x) => x.result.p)).forEach((p, i) => (tests[i].pHolm = p));
  const over = repeats > 1 ? `, each case's value first averaged over the ${repeats} repeats` : '';
  const byVendor: ReportTable = {
    id: 'table1-dice-by-vendor',
    title: 'Table 1. Dice per structure and test vendor: ED/ES only vs ED/ES + propagated frames',
    columns: [
      { key: 'vendor', label: 'vendor' },
      { key: 'arm', label: 'trained on' },
      ...columns.map((k) => diceColumn(k, k === 'mean' ? 'mean Dice' : `Dice ${k}`)),
    ],
    rows,
    footnotes: [
      `Mean ± sd over the test cases (ED and ES frames of held-out subjects; vendors C, D only in the unseen-vendor phantom)${over}, against the phantom's truth. "total" pools every vendor.`,
      '* p < 0.05 against ED/ES only (same vendor and structure): two-sided paired t-test over the same cases, unadjusted; Holm-adjusted p in table "tests".',
    ],
  };
  return [
    byVendor,
    testsTable(
      tests.map((x) => ({
        cells: { vendor: x.vendor, structure: x.structure, arm: x.arm },
        result: x.result,
        pHolm: x.pHolm,
      })),
      {
        title: 'Paired t-tests behind the marks of Table 1',
        columns: [
          { key: 'vendor', label: 'vendor' },
          { key: 'structure', label: 'structure' },
          { key: 'arm', label: 'trained on' },
        ],
        footnotes: [
          'Two-sided paired t-tests over the test cases both arms were evaluated on; mean difference = arm − ED/ES only. Holm adjustment over every test of the table.',
        ],
      },
    ),
  ];
}

/** The finished propagate jobs' frame records by method (jobs whose peer was missing give a reason instead). */
function propagatedFrames(finished: FinishedStudy): { byMethod: Map<string, PropagatedFrame[]>; missing: string[] } {
  const byMethod = new Map<string, PropagatedFrame[]>();
  const missing: string[] = [];
  for (const job of finished.plan.jobs) {
    const done = finished.done.get(job.key);
    if (job.kind !== 'propagate' || done === undefined) continue;
    if (done.result.available === false) missing.push(`${job.tags.method}: ${String(done.result.reason)}`);
    else
      byMethod.set(
        String(job.tags.method),
        JSON.parse(
          readFileSync(join(jobDir(finished.out, job.key), String(done.result.frames)), 'utf8'),
        ) as PropagatedFrame[],
      );
  }
  return { byMethod, missing };
}

function propagationTables(byMethod: Map<string, PropagatedFrame[]>, frameCount: number): ReportTable[] {
  const frameKeys = Array.from({ length: frameCount }, (_, t) => `f${t}`);
  const rows: Record<string, ReportCell>[] = [];
  const quality: Record<string, ReportCell>[] = [];
  for (const [method, frames] of byMethod) {
    const withTruth = frames.filter((f) => f.truthDice !== null);
    for (const structure of STRUCTURES) {
      const row: Record<string, ReportCell> = {
        method,
        structure,
        subjects: new Set(withTruth.map((f) => f.subject)).size,
      };
      frameKeys.forEach((key, t) => {
        const s = summarize(withTruth.filter((f) => f.frameIndex === t).map((f) => f.truthDice![structure] ?? null));
        row[key] = { mean: s.mean, sd: s.sd, n: s.n };
      });
      const s = summarize(
        withTruth.filter((f) => f.frameIndex !== f.sourceFrame).map((f) => f.truthDice![structure] ?? null),
      );
      row.unlabelled = { mean: s.mean, sd: s.sd, n: s.n };
      rows.push(row);
    }
    const registered = frames.filter((f) => f.frameIndex !== f.sourceFrame);
    const sec = summarize(registered.map((f) => f.seconds));
    const rms = summarize(registered.map((f) => f.rmsDisplacementMm));
    quality.push({
      method,
      frames: registered.length,
      maxFolding: registered.length ? Math.max(...registered.map((f) => f.foldingFraction)) : null,
      rms: { mean: rms.mean, sd: rms.sd, n: rms.n },
      seconds: { mean: sec.mean, sd: sec.sd, n: sec.n },
    });
  }
  return [
    {
      id: 'table2-propagation-by-frame',
      title: 'Table 2. Dice of the propagated labels against the true labels, per cine frame',
      columns: [
        { key: 'method', label: 'method' },
        { key: 'structure', label: 'structure' },
        { key: 'subjects', label: 'subjects', decimals: 0 },
        ...frameKeys.map((k, t) => ({ key: k, label: `frame ${t}`, decimals: 3 })),
        { key: 'unlabelled', label: 'unlabelled frames', decimals: 3, lowerIsBetter: false },
      ],
      rows,
      footnotes: [
        "Mean ± sd over the training and validation subjects of the phantom (elastix: the first subjects only, see settings) of the Dice between the labels propagated to each frame and the phantom's truth of that frame. Each frame takes the expert's labels of the nearer labelled frame (ED or ES), so those two frames keep the expert's labels and score the expert's own accuracy; identity copies them unchanged.",
        "Registration slice by slice (2D, in-plane motion): demons with the preset's iterations and σ; learned: VoxelMorph trained on the training subjects' cine frames (NCC + 0.01 smoothness; learned-seg + 0.01 · Dice of the warped ED/ES labels); elastix: B-spline (scripts/peers/elastix-bspline.txt).",
      ],
    },
    {
      id: 'table3-propagation-quality',
      title: 'Table 3. Fields of propagation: folding, displacement and time per frame pair',
      columns: [
        { key: 'method', label: 'method' },
        { key: 'frames', label: 'frame pairs', decimals: 0 },
        { key: 'maxFolding', label: 'max folding fraction', decimals: 4, lowerIsBetter: true },
        { key: 'rms', label: 'RMS displacement (mm)', decimals: 2 },
        { key: 'seconds', label: 'seconds per frame pair', decimals: 3, lowerIsBetter: true },
      ],
      rows: quality,
      footnotes: [
        'Over the registered (unlabelled) frames. Folding fraction: voxels with Jacobian determinant ≤ 0. Seconds: wall time of registering one whole frame (every slice); elastix includes starting its program once per slice.',
      ],
    },
  ];
}

const METHOD_LABELS: Record<string, string> = {
  identity: 'identity (ED labels copied)',
  demons: 'our diffeomorphic demons',
  'itk-demons': "ITK's DiffeomorphicDemonsRegistrationFilter (1 thread)",
  learned: 'learned (NCC)',
  'learned-seg': 'learned (NCC + 0.01 Dice)',
  elastix: 'elastix B-spline (1 thread)',
};

function pairsTable(finished: FinishedStudy): { table: ReportTable; peers: string[] } | null {
  const job = finished.plan.jobs.find((j) => j.kind === 'register-pairs' && finished.done.has(j.key));
  if (job === undefined) return null;
  const done = finished.done.get(job.key)!;
  const records = JSON.parse(
    readFileSync(join(jobDir(finished.out, job.key), String(done.result.pairs)), 'utf8'),
  ) as PairRecord[];
  const methods = [...new Set(records.map((r) => r.method))];
  const median = (v: number[]): number | null => {
    const s = [...v].sort((a, b) => a - b);
    return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const rows = methods.map((method) => {
    const own = records.filter((r) => r.method === method);
    const row: Record<string, ReportCell> = { method: METHOD_LABELS[method] ?? method, pairs: own.length };
    for (const structure of STRUCTURES) {
      const s = summarize(own.map((r) => r.dice[structure] ?? null));
      row[structure] = { mean: s.mean, sd: s.sd, n: s.n };
    }
    row.seconds = method === 'identity' ? null : median(own.map((r) => r.seconds));
    row.cpuSeconds = method === 'identity' ? null : median(own.map((r) => r.cpuSeconds));
    row.maxFolding = Math.max(...own.map((r) => r.foldingFraction));
    return row;
  });
  const peerInfo = (x: unknown, name: string): string => {
    const p = x as { available: boolean; version?: string | null; reason?: string };
    return p.available ? `${name}: ${p.version ?? 'available'}` : `${name} not run (${p.reason})`;
  };
  const peers = [peerInfo(done.result.itk, 'ITK demons'), peerInfo(done.result.elastix, 'elastix')];
  const settings = job.spec.demons as { iterations: number; standardDeviation: number };
  return {
    peers,
    table: {
      id: 'table4-ed-to-es',
      title: 'Table 4. ED → ES registration accuracy on mid-ventricular slices, with time per slice pair',
      columns: [
        { key: 'method', label: 'method' },
        { key: 'pairs', label: 'slice pairs', decimals: 0 },
        ...STRUCTURES.map((k) => diceColumn(k, `Dice ${k}`)),
        { key: 'seconds', label: 'median s / pair', decimals: 3, lowerIsBetter: true },
        { key: 'cpuSeconds', label: 'median CPU s / pair', decimals: 3, lowerIsBetter: true },
        { key: 'maxFolding', label: 'max folding fraction', decimals: 4, lowerIsBetter: true },
      ],
      rows,
      footnotes: [
        `The ED frame registered onto the ES frame one mid-ventricular slice at a time (middle third of the ED truth's extent) for the test subjects of the training phantom; the ED truth warped (one-hot linear, then argmax) and scored against the ES truth; mean ± sd over slice pairs. Demons: ${settings.iterations} iterations, σ = ${settings.standardDeviation} voxel, ITK's defaults otherwise, for ours and ITK's alike.`,
        `Times in the same run: ours and the learned models in-process; ITK inside its filter (single-threaded); elastix the whole program per pair, start-up included. ${peers.join('; ')}.`,
      ],
    },
  };
}

/** The study's report from its finished jobs; see the file comment. */
export function propagationReport(finished: FinishedStudy, settings: PropagationPlanSettings): StudyReport {
  const records = finishedRecords(finished);
  const { byMethod, missing } = propagatedFrames(finished);
  const frameCount = Math.max(0, ...[...byMethod.values()].flat().map((f) => f.frameIndex + 1));
  const pairs = pairsTable(finished);
  return {
    ...reportHeader(finished),
    notes: [
      "Does training a segmentation network on labels propagated by registration to every cine frame help, above all on scanners unseen in training? The ED and ES frames of each training cine carry the expert's labels; each other frame gets the labels of the nearer of the two, warped by registration. A 2D U-Net is trained on ED/ES only (baseline) and on ED/ES + the propagated frames, and tested on held-out subjects of vendors A, B (as in training) and of vendors C, D (a second phantom).",
      "Differs from the seed: the multirater cardiac phantom instead of M&Ms (unless --data); the U-Net has the preset's features with BatchNorm, ReLU, max-pooling and a 1×1 head, trained with Adam and cross-entropy and kept at its best validation mean Dice, but its learning rate decays polynomially (the trainer has no reduce-on-plateau).",
      ...(missing.length > 0 ? [`Not run on this machine: ${missing.join('; ')}.`] : []),
      evaluationsFinished(finished),
    ],
    tables: [
      ...segmentationTables(records, settings.armNames, settings.repeats),
      ...propagationTables(byMethod, frameCount),
      ...(pairs ? [pairs.table] : []),
    ],
    figures: [],
  };
}
