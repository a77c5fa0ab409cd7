/** Where the reference fixtures live: `MULTIRATER_FIXTURES` when set, else `../shared/fixtures` beside the repo. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export function fixturesDir(): string {
  return process.env.MULTIRATER_FIXTURES
    ? resolve(process.env.MULTIRATER_FIXTURES)
    : resolve(repoRoot, '../shared/fixtures');
}

export function fixturePath(...parts: string[]): string {
  return resolve(fixturesDir(), ...parts);
}
