/**
 * Benchmark and accuracy of registration on the cardiac phantom: for every subject of DATA (a dataset written by
 * `multirater simulate cardiac`, which keeps the truth of every cine frame), the ED frame is registered onto the ES
 * frame and the ED truth warped there (one-hot linear, then argmax) is compared with the ES truth per structure
 * (Dice), for identity (ED labels copied), our diffeomorphic demons, ITK's DiffeomorphicDemonsRegistrationFilter
 * (same settings, same run: built from scripts/peers/itk-demons.cxx against Debian's libinsighttoolkit5-dev when
 * installed) and, with --model, a learned model (`multirater register train`). 2D: the mid-ventricular slices
 * (middle third of the ED truth's extent, as metrics/slice-position) one slice pair at a time; 3D: whole volumes.
 * Times are in-call medians per pair (wall and CPU; ITK single-threaded, timed inside the filter), the load average
 * is printed since the machine is shared. Run:
 *   npx tsx scripts/bench-registration.ts --data DIR [--iterations 50] [--sigma 1] [--runs 3] [--model DIR]... [--no-3d]
 * Prints JSON.
 */
import { loadavg } from 'node:os';
import { loadDataset, resolveCasePath } from '../src/datasets/dataset.ts';
import { readVolume } from '../src/io/read-volume.ts';
import { slicePositions } from '../src/metrics/slice-position.ts';
import { cineSubjects } from '../src/registration/cine-subjects.ts';
import { itkDemons, itkPeer } from '../src/experiments/peer-programs.ts';
import { demons } from '../src/registration/demons.ts';
import { zeroField, type DisplacementField } from '../src/registration/displacement-field.ts';
import { fieldQuality } from '../src/registration/field-quality.ts';
import { labelDice } from '../src/registration/label-dice.ts';
import {
  loadRegistrationModel,
  registerLearned,
  type RegistrationModel,
} from '../src/registration/learned-registration.ts';
import { warpLabels } from '../src/registration/warp-volume.ts';
import { extractFrame, extractSlice } from '../src/volume/slice.ts';
import { createVolume, type Volume } from '../src/volume/volume.ts';
import { median, timeRuns } from './bench-timing.ts';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const DATA = arg('--data');
if (!DATA) throw new Error('usage: bench-registration.ts --data DIR (from `multirater simulate cardiac`)');
const ITERATIONS = Number(arg('--iterations', '50'));
const SIGMA = Number(arg('--sigma', '1'));
const RUNS = Number(arg('--runs', '3'));
const MODELS = process.argv.flatMap((a, i) => (a === '--model' ? [process.argv[i + 1]] : []));
const WITH_3D = !process.argv.includes('--no-3d');
const STRUCTURES: [string, number][] = [
  ['RV', 1],
  ['MYO', 2],
  ['LV', 3],
];

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

const float = (v: Volume): Volume =>
  createVolume([...v.shape], Float32Array.from(v.data), { spacing: v.spacing, affine: v.affine });

/** Wall and CPU seconds of `fn`, median over RUNS; returns the last result. */
async function timed<T>(fn: () => T | Promise<T>): Promise<{ wall: number; cpu: number; last: T }> {
  const { seconds, cpuSeconds, last } = await timeRuns(RUNS, fn);
  return { wall: median(seconds), cpu: median(cpuSeconds), last };
}

interface MethodStats {
  dice: Record<string, number[]>;
  wall: number[];
  cpu: number[];
  folding: number[];
}
const stats = (): MethodStats => ({
  dice: Object.fromEntries(STRUCTURES.map(([n]) => [n, []])),
  wall: [],
  cpu: [],
  folding: [],
});

function record(
  s: MethodStats,
  warped: Volume,
  truth: Volume,
  field: DisplacementField,
  wall: number,
  cpu: number,
): void {
  for (const [name, l] of STRUCTURES) {
    const d = labelDice(warped.data, truth.data, l);
    if (d !== null) s.dice[name].push(d);
  }
  s.wall.push(wall);
  s.cpu.push(cpu);
  s.folding.push(fieldQuality(field).foldingFraction);
}

function summarise(s: MethodStats): object {
  return {
    pairs: s.wall.length,
    dice: Object.fromEntries(Object.entries(s.dice).map(([k, v]) => [k, v.length ? +mean(v).toFixed(4) : null])),
    secondsMedian: s.wall.length ? +median(s.wall).toFixed(4) : null,
    cpuSecondsMedian: s.cpu.length ? +median(s.cpu).toFixed(4) : null,
    maxFoldingFraction: s.folding.length ? Math.max(...s.folding) : null,
  };
}

async function main(): Promise<void> {
  const loaded = loadDataset(DATA as string);
  const subjects = cineSubjects(loaded).filter((s) => s.cineTruthPath !== null);
  const peer = itkPeer('itk-demons');
  const itk = 'binary' in peer ? peer.binary : { reason: peer.reason };
  const models: { name: string; model: RegistrationModel }[] = [];
  for (const dir of MODELS) models.push({ name: `learned:${dir}`, model: await loadRegistrationModel(dir, 1) });
  const methods2d: Record<string, MethodStats> = {
    identity: stats(),
    demons: stats(),
    ...(typeof itk === 'string' ? { itk: stats() } : {}),
  };
  for (const m of models) methods2d[m.name] = stats();
  const methods3d: Record<string, MethodStats> = {
    identity: stats(),
    demons: stats(),
    ...(typeof itk === 'string' ? { itk: stats() } : {}),
  };
  for (const m of models) methods3d[m.name] = stats();
  let itkVersion: string | null = null;
  for (const s of subjects) {
    const ed = s.frames.find((f) => f.case.meta.frame === 'ED');
    const es = s.frames.find((f) => f.case.meta.frame === 'ES');
    if (!ed || !es) continue;
    const cine = readVolume(s.cinePath);
    const truth = readVolume(s.cineTruthPath as string);
    const [edImage, esImage] = [extractFrame(cine, ed.frameIndex), extractFrame(cine, es.frameIndex)].map(float);
    const [edTruth, esTruth] = [extractFrame(truth, ed.frameIndex), extractFrame(truth, es.frameIndex)];
    const mid = slicePositions(edTruth).flatMap((p, k) => (p === 'mid' ? [k] : []));
    for (const k of mid) {
      const f = extractSlice(esImage, { index: k });
      const m = extractSlice(edImage, { index: k });
      const lm = extractSlice(edTruth, { index: k });
      const lf = extractSlice(esTruth, { index: k });
      record(methods2d.identity, lm, lf, zeroField(f), 0, 0);
      const ours = await timed(() => demons(f, m, { iterations: ITERATIONS, standardDeviation: SIGMA }).field);
      record(methods2d.demons, warpLabels(lm, ours.last), lf, ours.last, ours.wall, ours.cpu);
      if (typeof itk === 'string') {
        const r = itkDemons(itk, f, m, { iterations: ITERATIONS, sigma: SIGMA, runs: RUNS });
        itkVersion = r.version;
        record(methods2d.itk, warpLabels(lm, r.field), lf, r.field, r.seconds, r.cpuSeconds);
      }
      for (const { name, model } of models) {
        const r = await timed(() => registerLearned(model, f, m));
        record(methods2d[name], warpLabels(lm, r.last), lf, r.last, r.wall, r.cpu);
      }
    }
    if (!WITH_3D) continue;
    record(methods3d.identity, edTruth, esTruth, zeroField(esImage), 0, 0);
    const ours = await timed(
      () => demons(esImage, edImage, { iterations: ITERATIONS, standardDeviation: SIGMA }).field,
    );
    record(methods3d.demons, warpLabels(edTruth, ours.last), esTruth, ours.last, ours.wall, ours.cpu);
    if (typeof itk === 'string') {
      const r = itkDemons(itk, esImage, edImage, { iterations: ITERATIONS, sigma: SIGMA, runs: RUNS });
      record(methods3d.itk, warpLabels(edTruth, r.field), esTruth, r.field, r.seconds, r.cpuSeconds);
    }
    for (const { name, model } of models) {
      const r = await timed(() => registerLearned(model, esImage, edImage));
      record(methods3d[name], warpLabels(edTruth, r.last), esTruth, r.last, r.wall, r.cpu);
    }
  }
  for (const { model } of models) await model.session.release();
  const s2 = Object.fromEntries(Object.entries(methods2d).map(([k, v]) => [k, summarise(v)])) as Record<
    string,
    { secondsMedian: number | null; cpuSecondsMedian: number | null }
  >;
  const s3 = Object.fromEntries(Object.entries(methods3d).map(([k, v]) => [k, summarise(v)])) as Record<
    string,
    { secondsMedian: number | null; cpuSecondsMedian: number | null }
  >;
  const ratio = (s: typeof s2, key: 'secondsMedian' | 'cpuSecondsMedian') =>
    s.itk?.[key] ? (s.demons[key] as number) / (s.itk[key] as number) : null;
  process.stdout.write(
    JSON.stringify(
      {
        data: DATA,
        subjects: subjects.length,
        settings: { iterations: ITERATIONS, sigmaVoxels: SIGMA, runs: RUNS, otherwise: "ITK's defaults" },
        node: process.version,
        loadAverage: loadavg(),
        itk:
          typeof itk === 'string'
            ? { available: true, version: itkVersion, threads: 1 }
            : { available: false, reason: itk.reason },
        midVentricularSlices2d: s2,
        demonsTimeRatioToItk2d: { wall: ratio(s2, 'secondsMedian'), cpu: ratio(s2, 'cpuSecondsMedian') },
        volumes3d: WITH_3D ? s3 : null,
        demonsTimeRatioToItk3d: WITH_3D
          ? { wall: ratio(s3, 'secondsMedian'), cpu: ratio(s3, 'cpuSecondsMedian') }
          : null,
      },
      null,
      2,
    ) + '\n',
  );
}

await main();
