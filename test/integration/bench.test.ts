import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';

const run = runCli;

describe('multirater bench', () => {
  it('prints the schema-versioned JSON of the pinned U-Net on a small input', () => {
    const r = run('bench', '--json', '--size', '16', '--batch', '2', '--threads', '1');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual([
      'schemaVersion',
      'trainStepSeconds',
      'inferenceSeconds',
      'params',
      'threads',
      'size',
      'batch',
    ]);
    expect(out).toMatchObject({ schemaVersion: 1, params: 1927940, threads: 1, size: 16, batch: 2 });
  });

  it('times a registered 3D network on a cubic patch with --model (HighRes3DNet: the twin’s one-channel head)', () => {
    const r = run('bench', '--json', '--model', 'highres3dnet', '--patch', '6', '--threads', '1');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      schemaVersion: 1,
      model: 'highres3dnet',
      params: 808865,
      classes: 1,
      patch: 6,
      batch: 1,
      threads: 1,
    });
    expect(out.trainStepSeconds).toBeGreaterThan(0);
    expect(out.peakRssBytes).toBeGreaterThan(0);
  });

  it('rejects a non-positive size with one line and exit code 1', () => {
    const r = run('bench', '--size', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("multirater: --size must be a positive integer, got '0'\n");
  });
});
