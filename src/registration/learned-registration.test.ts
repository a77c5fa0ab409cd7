/**
 * Learned registration end to end on the tiny cine with a tiny network: training writes a loadable model whose
 * export maps fixed/moving to a flow; at initialisation (flow conv N(0, 1e-5)) the field is near zero and never
 * folds; the inference field has the fixed grid; the network's default channels are VoxelMorph's.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_CINE_SIZE as N, TINY_CINE_SLICES, writeTinyCine } from '../../test/tiny-cine.ts';
import { readVolume } from '../io/read-volume.ts';
import { resolveVoxelMorphOptions, voxelMorph } from '../models/voxelmorph.ts';
import { Graph } from '../nn/graph.ts';
import { extractFrame } from '../volume/slice.ts';
import { fieldQuality } from './field-quality.ts';
import { loadRegistrationModel, registerLearned, trainRegistration } from './learned-registration.ts';

const root = mkdtempSync(join(tmpdir(), 'learned-reg-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeTinyCine(join(root, 'data'));
const tiny = { encoder: [4, 4], decoder: [4, 4, 4] };

describe('learned registration', () => {
  it('trains on cine pairs (with the Dice term) and registers with the exported model, field on the fixed grid', async () => {
    const out = join(root, 'model');
    const r = await trainRegistration(join(root, 'data'), out, {
      steps: 2,
      batchSize: 2,
      network: tiny,
      threads: 1,
      segmentationWeight: 0.01,
      labels: 'expert',
    });
    expect(r.config.tensorShape).toEqual([N, N]);
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
    const model = await loadRegistrationModel(out, 1);
    const cine = readVolume(join(root, 'data', 'cine.nii.gz'));
    const field = await registerLearned(model, extractFrame(cine, 2), extractFrame(cine, 0));
    await model.session.release();
    expect(field.shape).toEqual([N, N, TINY_CINE_SLICES]);
    expect(field.components.length).toBe(3);
    expect([...field.components[2]].every((v) => v === 0)).toBe(true);
    const q = fieldQuality(field);
    expect(q.foldingFraction).toBe(0);
    expect(q.maxDisplacementMm).toBeLessThan(0.5);
  });

  it("builds VoxelMorph's network by default: 16-32-32-32 / 32-32-32-32-32-16-16, flow on a half-resolution velocity", () => {
    expect(resolveVoxelMorphOptions({ dims: 2 })).toEqual({
      dims: 2,
      encoder: [16, 32, 32, 32],
      decoder: [32, 32, 32, 32, 32, 16, 16],
      integrationSteps: 7,
    });
    const g = new Graph();
    const m = g.input('m', 'float32', [1, 1, 32, 48]);
    const f = g.input('f', 'float32', [1, 1, 32, 48]);
    const out = voxelMorph(m, f, { dims: 2 });
    expect(out.flow.shape).toEqual([1, 2, 32, 48]);
    expect(out.velocity.shape).toEqual([1, 2, 16, 24]);
    expect(g.params.get('flow.weight')?.init).toEqual({ kind: 'normal', std: 1e-5 });
    expect(() => voxelMorph(g.input('bad', 'float32', [1, 1, 20, 48]), f, { dims: 2 })).toThrow(/multiple of 16/);
  });
});
