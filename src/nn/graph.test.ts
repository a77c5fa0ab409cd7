/**
 * The graph builder: shape inference as nodes are added, errors that name the operator and the shapes, scoped
 * parameter names, seeded initialisers, and the public surface of the engine.
 */
import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import * as F from './functional.ts';
import { Graph } from './graph.ts';
import * as nn from './index.ts';
import { fans, heNormal, initParams, torchBias, torchWeight, xavierUniform } from './init.ts';
import { convLayer } from './layers.ts';
import { Prng } from './prng.ts';

describe('shape inference', () => {
  it('infers convolution, pooling and broadcasting shapes as nodes are added', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['N', 3, 33, 20]);
    const w = g.input('w', 'float32', [8, 3, 3, 3]);
    const y = F.conv(x, w, null, { strides: [2, 2], pads: [1, 1, 1, 1] });
    expect(y.shape).toEqual(['N', 8, 17, 10]);
    expect(F.maxPool(y, { kernel: [2, 2] }).shape).toEqual(['N', 8, 8, 5]);
    expect(F.add(y, g.input('b', 'float32', [8, 1, 1])).shape).toEqual(['N', 8, 17, 10]);
    expect(F.convTranspose(y, g.input('wt', 'float32', [8, 4, 2, 2]), null, { strides: [2, 2] }).shape).toEqual([
      'N',
      4,
      34,
      20,
    ]);
  });

  it('rejects mismatched shapes with an error naming the operator and the shapes', () => {
    const g = new Graph();
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [4, 3]);
    expect(() => F.add(a, b)).toThrow('Add: shapes do not broadcast (input shapes [2,3], [4,3])');
    expect(() => F.matmul(a, b)).toThrow('MatMul: inner dimensions differ (3 vs 4) (input shapes [2,3], [4,3])');
    const x = g.input('x', 'float32', [1, 4, 8, 8]);
    const w = g.input('w', 'float32', [2, 3, 3, 3]);
    try {
      F.conv(x, w, null);
      expect.unreachable();
    } catch (e) {
      expect(isMultiraterError(e, 'shape_error')).toBe(true);
      expect((e as Error).message).toBe(
        'Conv: x has 4 channels, w expects 3 (group 1) (input shapes [1,4,8,8], [2,3,3,3], ∅)',
      );
    }
  });

  it('refuses values from another graph and unknown operators', () => {
    const a = new Graph().input('a', 'float32', [2]);
    const b = new Graph().input('b', 'float32', [2]);
    expect(() => F.add(a, b)).toThrow(/belongs to another graph/);
    expect(() => a.graph.apply('NoSuchOp', [a])).toThrow("operator 'NoSuchOp' is not registered");
  });
});

describe('parameters', () => {
  it('names parameters by scope and refuses duplicates', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [1, 2, 5, 5]);
    g.scope('encoder', () => convLayer('conv1', x, { outChannels: 4, kernel: [3, 3] }));
    expect([...g.params.keys()]).toEqual(['encoder.conv1.weight', 'encoder.conv1.bias']);
    expect(() => g.scope('encoder', () => convLayer('conv1', x, { outChannels: 4, kernel: [3, 3] }))).toThrow(
      "parameter 'encoder.conv1.weight' is declared twice",
    );
  });

  it('initialises from (seed, name) streams: reproducible, and independent of declaration order', () => {
    const build = (order: string[]) => {
      const g = new Graph();
      for (const name of order) g.param(name, [64], heNormal([64, 10, 3, 3]));
      return initParams(g, 42);
    };
    const a = build(['a', 'b']);
    const b = build(['b', 'a']);
    expect(a.get('a')).toEqual(b.get('a'));
    expect(a.get('a')).not.toEqual(a.get('b'));
    expect(build(['a']).get('a')).toEqual(a.get('a'));
  });

  it('uses the textbook scales: He std √(2/fanIn), Xavier and PyTorch bounds', () => {
    expect(fans([16, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(heNormal([16, 8, 3, 3])).toEqual({ kind: 'normal', std: Math.sqrt(2 / 72) });
    expect(xavierUniform([16, 8, 3, 3])).toEqual({ kind: 'uniform', bound: Math.sqrt(6 / 216) });
    expect((torchWeight([16, 8, 3, 3]) as { bound: number }).bound).toBeCloseTo(1 / Math.sqrt(72), 12);
    expect(torchBias([16, 8, 3, 3])).toEqual({ kind: 'uniform', bound: 1 / Math.sqrt(72) });
  });

  it('draws normals with mean 0 and variance 1 from the seeded generator', () => {
    const rng = new Prng(9);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
    expect(new Prng(9).nextUint32()).toBe(new Prng(9).nextUint32());
  });
});

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(nn).sort()).toMatchSnapshot();
  });
});
