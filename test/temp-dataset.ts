/**
 * The temporary dataset a test file shares: `data` (`root/data`) written by `write` before the file's first test,
 * `root` removed after its last. Both paths are fixed when the file is read; nothing is written until its tests run.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './dataset-trees.ts';

export interface TempDataset {
  /** The file's temporary folder (`multirater-PREFIX-…` in the system's temporary folder). */
  root: string;
  /** `root/data`, where `write` puts the dataset. */
  data: string;
}

/** Registers the file's beforeAll (make `root`, then `write(data)`) and afterAll (remove `root`). */
export function tempDataset(prefix: string, write: (data: string) => void): TempDataset {
  const root = join(tmpdir(), `multirater-${prefix}-${randomBytes(6).toString('hex')}`);
  const data = join(root, 'data');
  beforeAll(() => {
    mkdirSync(root);
    write(data);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return { root, data };
}

/** A maker of fresh temporary folders (`tempDir(prefix)`), each removed after the test file's last test. */
export function tempDirs(prefix: string): () => string {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  return () => {
    const dir = tempDir(prefix);
    roots.push(dir);
    return dir;
  };
}
