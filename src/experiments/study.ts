/**
 * A study: a named plan of jobs with presets (`smoke` for tests, in seconds to minutes; `default`, the study's
 * effects on the embedded phantom in under an hour on 2 cores; `paper`, the seed study's scale, for many workers)
 * and a report built from its finished jobs only.
 */
import type { StudyReport } from '../report/index.ts';
import type { Job, JobDone, JsonValue } from './job.ts';

export const PRESET_NAMES = ['smoke', 'default', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Options every study's plan takes. */
export interface StudyPlanOptions {
  /** An existing dataset folder to train and test on instead of the phantom. */
  data?: string;
  /** An existing dataset folder as the shifted-domain test set (evaluated against its own truth). */
  shiftedData?: string;
  /** Base seed of simulation and training; default 1. */
  seed?: number;
}

/** A planned study: its jobs and the settings they came from. */
export interface StudyPlan {
  study: string;
  title: string;
  preset: PresetName;
  options: StudyPlanOptions;
  /** The preset's settings, as shown in the report. */
  settings: { [key: string]: JsonValue };
  /** Every seed the plan uses. */
  seeds: number[];
  jobs: Job[];
}

/** What a report is built from: the plan and the jobs of it that have finished. */
export interface FinishedStudy {
  out: string;
  plan: StudyPlan;
  /** Finished jobs by key. */
  done: ReadonlyMap<string, JobDone>;
  packageVersion: string;
}

export interface Study {
  /** `nonexpert` — what `study run NAME` takes. */
  name: string;
  /** The seed study's title. */
  title: string;
  /** One line per preset: what it runs and how long it takes. */
  presets: Record<PresetName, string>;
  plan(preset: PresetName, options?: StudyPlanOptions): StudyPlan;
  /** Tables and figures from the finished jobs (a partial study gives partial tables). */
  report(finished: FinishedStudy): StudyReport;
}

/** The fields of a report every study fills the same way: names, settings, seeds, wall time per job kind. */
export function reportHeader(finished: FinishedStudy): Omit<StudyReport, 'tables' | 'figures'> {
  const wall: Record<string, number> = {};
  for (const job of finished.plan.jobs) {
    const done = finished.done.get(job.key);
    if (done !== undefined) wall[job.kind] = Math.round(((wall[job.kind] ?? 0) + done.seconds) * 10) / 10;
  }
  const { plan } = finished;
  return {
    study: plan.study,
    title: plan.title,
    preset: plan.preset,
    settings: plan.settings,
    packageVersion: finished.packageVersion,
    seeds: plan.seeds,
    wallSecondsByKind: wall,
  };
}
