/**
 * A study: a named plan of jobs with presets (`smoke` for tests, in seconds to minutes; `default`, the study's
 * effects on the embedded phantom in under an hour on 2 cores; `paper`, the seed study's scale, for many workers)
 * and a report built from its finished jobs only. A study made with `defineStudy` declares the settings its plan
 * records as a zod schema, as a job kind does its spec (`job-kind.ts`): the planner returns them typed, and the
 * report gets them parsed once, so a hand-edited study.json with a setting of the wrong shape is a one-line error
 * naming the file, the field and the study.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { formatSchemaIssue } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import type { StudyReport } from '../report/index.ts';
import type { Job, JobDone, JsonValue } from './job.ts';

/**
 * Every study's presets, smallest first: `smoke` (tests), `default` (under an hour on 2 cores), `paper` (the seed's
 * scale).
 */
export const PRESET_NAMES = ['smoke', 'default', 'paper'] as const;
/** One of `PRESET_NAMES`. */
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
  /** The study's name (`Study.name`). */
  study: string;
  /** The seed study's title (`Study.title`). */
  title: string;
  /** The preset planned. */
  preset: PresetName;
  /** The plan options given (data folders absolute when planned by `planStudy`). */
  options: StudyPlanOptions;
  /** The preset's settings, as shown in the report. */
  settings: { [key: string]: JsonValue };
  /** Every seed the plan uses. */
  seeds: number[];
  /** Every job of the plan; the runners order them by their needs. */
  jobs: Job[];
}

/** What a report is built from: the plan and the jobs of it that have finished. */
export interface FinishedStudy {
  /** The study's output folder (OUT). */
  out: string;
  /** The plan in OUT/study.json. */
  plan: StudyPlan;
  /** Finished jobs by key. */
  done: ReadonlyMap<string, JobDone>;
  /** multirater's version (package.json), recorded in the report (`StudyReport.packageVersion`). */
  packageVersion: string;
}

/** A registered study (studies/builtins.ts): the plan of each preset and the report from its finished jobs. */
export interface Study {
  /** `nonexpert` — what `study run NAME` takes. */
  name: string;
  /** The seed study's title. */
  title: string;
  /** One line per preset: what it runs and how long it takes. */
  presets: Record<PresetName, string>;
  /** The jobs of `preset` and the settings they came from, for `options` (default none). */
  plan(preset: PresetName, options?: StudyPlanOptions): StudyPlan;
  /** Tables and figures from the finished jobs (a partial study gives partial tables). */
  report(finished: FinishedStudy): StudyReport;
  /** What is wrong with a plan's `settings` for this study (`plan.settings.repeats: …`), or null; a study without this accepts any. */
  settingsProblem?(settings: StudyPlan['settings']): string | null;
}

/** `T` as JSON holds it: every array and field writable, so a typed option object (ModelOptions) is a JsonValue. */
export type JsonOf<T> = T extends object ? { -readonly [K in keyof T]: JsonOf<T[K]> } : T;

/**
 * A setting that is a library's option object (model options, augmentation), passed on to the jobs as it is: the
 * schema checks it is an object, the library checks its fields when the job runs.
 */
export function optionsSetting<T>(what: string): z.ZodType<JsonOf<T>> {
  return z.custom<JsonOf<T>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), `expected ${what}`);
}

/** What a study's planner returns; `defineStudy` adds the study's name and title, the preset and the options. */
export interface StudyJobs<S> {
  /** The preset's settings and what the plan adds to them, as the report reads them. */
  settings: S;
  /** Every seed the plan uses. */
  seeds: number[];
  /** Every job of the plan. */
  jobs: Job[];
}

/** What a study's planner is given besides its preset's settings. */
export interface StudyPlanContext {
  /** The preset planned. */
  preset: PresetName;
  /** The base seed: `options.seed`, default 1. */
  seed: number;
  /** The plan options as given to `Study.plan`. */
  options: StudyPlanOptions;
}

/** A study with typed settings (`defineStudy`). */
export interface StudyDefinition<P, S extends { [key: string]: JsonValue }> {
  /** See `Study.name`. */
  name: string;
  /** See `Study.title`. */
  title: string;
  /** See `Study.presets`. */
  presets: Record<PresetName, string>;
  /** Each preset's settings, as the planner gets them. */
  presetSettings: Record<PresetName, P>;
  /** The schema of the settings the planner records in the plan. */
  settings: z.ZodType<S>;
  /** The jobs for a preset's settings and the settings they came from. */
  plan(settings: P, context: StudyPlanContext): StudyJobs<S>;
  /** Tables and figures from the finished jobs, `settings` being the plan's parsed by `definition.settings`. */
  report(finished: FinishedStudy, settings: S): StudyReport;
}

/** A study whose report gets the plan's settings parsed by `definition.settings` (see the file comment). */
export function defineStudy<P, S extends { [key: string]: JsonValue }>(definition: StudyDefinition<P, S>): Study {
  const problemOf = (error: z.ZodError): string => {
    const issue = error.issues[0];
    return formatSchemaIssue({ path: ['plan', 'settings', ...issue.path], message: issue.message });
  };
  return {
    name: definition.name,
    title: definition.title,
    presets: definition.presets,
    plan: (preset, options = {}) => ({
      study: definition.name,
      title: definition.title,
      preset,
      options,
      ...definition.plan(definition.presetSettings[preset], { preset, seed: options.seed ?? 1, options }),
    }),
    report: (finished) => {
      const parsed = definition.settings.safeParse(finished.plan.settings);
      if (!parsed.success)
        // OUT/study.json (study-file.ts's STUDY_FILE; that module imports this one) holds the plan a report reads.
        throw new MultiraterError(
          'invalid_record',
          `${join(finished.out, 'study.json')}: ${problemOf(parsed.error)} (the ${definition.name} study)`,
        );
      return definition.report(finished, parsed.data);
    },
    settingsProblem: (settings) => {
      const parsed = definition.settings.safeParse(settings);
      return parsed.success ? null : problemOf(parsed.error);
    },
  };
}

/** `3 of 12 evaluations finished.`: how many of the plan's evaluate jobs have finished, for a report's notes. */
export function evaluationsFinished(finished: FinishedStudy): string {
  const evaluated = finished.plan.jobs.filter((j) => j.kind === 'evaluate');
  return `${evaluated.filter((j) => finished.done.has(j.key)).length} of ${evaluated.length} evaluations finished.`;
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
