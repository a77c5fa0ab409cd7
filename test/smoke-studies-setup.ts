/**
 * Vitest `globalSetup`: one temporary folder per `vitest run` in which `test/smoke-study.ts` runs each smoke study
 * the first time a test file asks for it, so every file that reads a finished smoke study shares that one run.
 * Nothing runs here: a run that needs no study pays for none. The folder is removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding this run's shared smoke studies (`<name>/` and its lock and outcome files). */
    smokeStudiesDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'multirater-smoke-studies-'));
  project.provide('smokeStudiesDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
