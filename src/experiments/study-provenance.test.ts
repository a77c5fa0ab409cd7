import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/temp-dataset.ts';
import { usableCpus } from '../cores.ts';
import {
  gitCommit,
  machineInfo,
  processCommand,
  readStudyRun,
  recordStudyRun,
  STUDY_RUN_FILE,
  studyProvenance,
} from './study-provenance.ts';

const REPO = resolve(import.meta.dirname, '../..');
const fresh = tempDirs('provenance');
const gitOut = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('study provenance', () => {
  it("names this checkout's HEAD, and whether tracked files differ from it", () => {
    const commit = gitCommit(REPO);
    expect(commit?.sha).toBe(gitOut(REPO, 'rev-parse', 'HEAD'));
    expect(commit?.dirty).toBe(gitOut(REPO, 'status', '--porcelain', '--untracked-files=no') !== '');
  });

  it('gives no commit for a folder that is not the top of a checkout, nor for one inside a checkout', () => {
    expect(gitCommit(fresh())).toBeNull();
    expect(gitCommit(join(REPO, 'src'))).toBeNull();
  });

  it('counts a changed tracked file as dirty and an untracked one as clean', () => {
    const dir = fresh();
    const git = (...args: string[]) => gitOut(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args);
    git('init', '-q');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'a');
    writeFileSync(join(dir, 'untracked.txt'), 'u\n');
    expect(gitCommit(dir)).toEqual({ sha: git('rev-parse', 'HEAD'), dirty: false });
    writeFileSync(join(dir, 'a.txt'), 'changed\n');
    expect(gitCommit(dir)?.dirty).toBe(true);
  });

  it('describes the machine: usable cores, memory to 0.1 GiB, platform and Node version', () => {
    const m = machineInfo();
    expect(m.cores).toBe(usableCpus());
    expect(m.cores).toBeLessThanOrEqual(availableParallelism());
    expect(m.cpuModel.length).toBeGreaterThan(0);
    expect(m.memoryGiB).toBeGreaterThan(0);
    expect(Math.round(m.memoryGiB * 10)).toBe(m.memoryGiB * 10);
    expect(m.platform).toBe(`${process.platform}-${process.arch}`);
    expect(m.node).toBe(process.version);
  });

  it('writes the command line as a shell reads it, the program as `multirater` when it is the bin', () => {
    expect(processCommand(['/usr/bin/node', '/x/bin/multirater.js', 'study', 'run', 'nonexpert', '--out', 'a b'])).toBe(
      "multirater study run nonexpert --out 'a b'",
    );
    expect(processCommand(['/usr/bin/node', '/x/tool.mjs', "it's"])).toBe(`/x/tool.mjs 'it'\\''s'`);
  });

  it('reads back what `study run` recorded and dates it when the report is made', () => {
    const out = fresh();
    const run = recordStudyRun(out, { workers: 2, threads: 1, command: 'multirater study run x --out o' });
    const when = new Date('2026-12-02T12:00:00Z');
    expect(readStudyRun(out)).toEqual(run);
    expect(studyProvenance(out, when)).toEqual({
      commit: gitCommit(REPO),
      date: '2026-12-02T12:00:00.000Z',
      machine: machineInfo(),
      command: 'multirater study run x --out o',
      workers: 2,
      threads: 1,
      startedAt: run.startedAt,
    });
  });

  it("gives the last run's wall time: from its start to the last job finished after it", () => {
    const out = fresh();
    const run = recordStudyRun(out, { workers: 2, threads: 1, command: 'multirater study run x --out o' });
    const start = Date.parse(run.startedAt);
    const at = (ms: number) => new Date(start + ms).toISOString();
    // A job finished by an earlier run (before this one started) does not count.
    const p = studyProvenance(out, new Date(), [at(-60_000), at(1_500), at(65_250), at(30_000)]);
    expect(p.wallSeconds).toBe(65.25);
    expect(studyProvenance(out, new Date(), [at(-5_000)]).wallSeconds).toBeUndefined();
  });

  it('reports a folder with no recorded run with no command and no workers, and refuses a corrupted record', () => {
    const out = fresh();
    const p = studyProvenance(out);
    expect([p.command, p.workers, p.threads]).toEqual([null, null, null]);
    expect(p.commit).toEqual(gitCommit(REPO));
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, STUDY_RUN_FILE), JSON.stringify({ schemaVersion: 1, command: 3 }));
    expect(() => studyProvenance(out)).toThrow(
      `${join(out, STUDY_RUN_FILE)}: startedAt: Invalid input: expected string, received undefined; expected what \`multirater study run\` writes (delete it to report without the command line)`,
    );
  });
});
