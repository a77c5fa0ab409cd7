import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../bin/multirater.js');

describe('multirater demo', () => {
  it('writes the phantom and prints its info as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-demo-cli-'));
    const r = spawnSync(process.execPath, [bin, 'demo', '--out', dir, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    expect(out.file).toBe(join(dir, 'phantom_labels.nii.gz'));
    expect(existsSync(out.file)).toBe(true);
    expect(out.description).toMatchObject({ format: 'nifti', shape: [48, 48, 8], spacing: [1.5, 1.5, 8], datatype: 'uint8', min: 0, max: 2 });
  });
});
