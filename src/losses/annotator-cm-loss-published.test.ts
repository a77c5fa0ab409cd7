/**
 * The annotator CM loss's 'published' variant (the authors' code: CrossEntropyLoss over the probabilities A·p, i.e. a
 * second softmax, plus λ · Σ per-pixel trace / pixels) on a 2-class, 2×2-pixel, two-annotator example. The expected
 * value and gradients are computed here in plain float64 arithmetic from the formula (chain rule written out, and
 * checked against central differences of the same arithmetic), independent of the engine; the engine's float32 graph
 * must match them to 1e-6. The 'paper' variant on the same example is −log(A·p) instead and must match its own
 * hand value.
 */
import { describe, expect, it } from 'vitest';
import { annotatorCmLoss, CM_LOSS_NAMES, parseCmLossName, type CmLossName } from './annotator-cm-loss.ts';
import { F, grad, Graph, runGraph, type Value } from '../nn/index.ts';

const L = 2;
const R = 2;
const P = 4; // 2×2 pixels, v = h·2 + w
const LAMBDA = 0.7;
/** Segmentation logits z[c][v]. */
const Z = [
  [0.3, -1.2, 2.0, 0.0],
  [-0.5, 0.7, 1.1, -0.4],
];
/** CM logits w[r][i][j][v]; the matrices are softmax over i. */
const W = [
  [
    [
      [2.0, 1.5, -0.3, 0.8],
      [-1.0, 0.2, 0.4, -0.6],
    ],
    [
      [0.1, -0.7, 0.9, 0.0],
      [1.8, 2.2, -0.5, 1.0],
    ],
  ],
  [
    [
      [0.5, -0.2, 1.2, -1.5],
      [0.3, 0.9, -0.8, 0.6],
    ],
    [
      [-0.4, 1.1, 0.0, 0.7],
      [1.3, -0.9, 0.2, -0.1],
    ],
  ],
];
/** Each annotator's label per pixel. */
const Y = [
  [0, 1, 1, 0],
  [1, 1, 0, 0],
];

interface Hand {
  loss: number;
  /** dL/dz[c][v] */
  dz: number[][];
  /** dL/dw[r][i][j][v] */
  dw: number[][][][];
}

const softmax2 = (a: number, b: number): [number, number] => {
  const m = Math.max(a, b);
  const ea = Math.exp(a - m);
  const eb = Math.exp(b - m);
  return [ea / (ea + eb), eb / (ea + eb)];
};

/** The loss of `variant` for one image (N = 1) whose annotator r is present where mask[r] = 1, by the formula, and its gradients by the chain rule. */
function byHand(variant: CmLossName, z: number[][] = Z, w: number[][][][] = W, mask: number[] = [1, 1]): Hand {
  const p = [0, 1, 2, 3].map((v) => softmax2(z[0][v], z[1][v])); // p[v][c]
  // A[r][i][j][v] = softmax over i of w[r][·][j][v]
  const A = w.map((wr) =>
    [0, 1].map((i) => [0, 1].map((j) => [0, 1, 2, 3].map((v) => softmax2(wr[0][j][v], wr[1][j][v])[i]))),
  );
  let loss = 0;
  const dq = A.map(() => [0, 1].map(() => [0, 0, 0, 0])); // dL/dq[r][i][v]
  for (let r = 0; r < R; r++) {
    if (mask[r] === 0) continue;
    for (let v = 0; v < P; v++) {
      const q = [0, 1].map((i) => A[r][i][0][v] * p[v][0] + A[r][i][1][v] * p[v][1]);
      const y = Y[r][v];
      if (variant === 'published') {
        const s = softmax2(q[0], q[1]);
        loss += -Math.log(s[y]) / P;
        for (let i = 0; i < L; i++) dq[r][i][v] = (s[i] - (i === y ? 1 : 0)) / P;
      } else {
        loss += -Math.log(q[y]) / P;
        dq[r][y][v] = -1 / (q[y] * P);
      }
      loss += (LAMBDA * (A[r][0][0][v] + A[r][1][1][v])) / P;
    }
  }
  const dA = A.map((_, r) =>
    [0, 1].map((i) =>
      [0, 1].map((j) => [0, 1, 2, 3].map((v) => dq[r][i][v] * p[v][j] + (i === j ? (mask[r] * LAMBDA) / P : 0))),
    ),
  );
  const dp = [0, 1, 2, 3].map((v) =>
    [0, 1].map((j) => {
      let s = 0;
      for (let r = 0; r < R; r++) for (let i = 0; i < L; i++) s += dq[r][i][v] * A[r][i][j][v];
      return s;
    }),
  );
  const dz = [0, 1].map((c) =>
    [0, 1, 2, 3].map((v) => p[v][c] * (dp[v][c] - (p[v][0] * dp[v][0] + p[v][1] * dp[v][1]))),
  );
  const dw = A.map((Ar, r) =>
    [0, 1].map((i) =>
      [0, 1].map((j) =>
        [0, 1, 2, 3].map(
          (v) => Ar[i][j][v] * (dA[r][i][j][v] - (Ar[0][j][v] * dA[r][0][j][v] + Ar[1][j][v] * dA[r][1][j][v])),
        ),
      ),
    ),
  );
  return { loss, dz, dw };
}

/** The engine's loss and gradients for `variant` on the example (float32). */
async function byEngine(
  variant: CmLossName,
  maskData: number[] = [1, 1],
): Promise<{ loss: number; dz: Float32Array; dw: Float32Array }> {
  const g = new Graph();
  const z = g.input('seg_logits', 'float32', [1, L, 2, 2]);
  const w = g.input('cm_logits', 'float32', [1, R, L, L, 2, 2]);
  const labels = g.input('labels', 'uint8', [1, R, 2, 2]);
  const mask = g.input('mask', 'float32', [1, R]);
  const loss = annotatorCmLoss(z, F.softmax(w, 2), labels, mask, { traceWeight: LAMBDA, variant });
  const [dz, dw] = grad(loss, [z, w]);
  const outputs: Record<string, Value> = { loss: F.identity(loss), dz, dw };
  const res = await runGraph(
    g,
    outputs,
    {
      seg_logits: { dtype: 'float32', shape: [1, L, 2, 2], data: Float32Array.from(Z.flat()) },
      cm_logits: { dtype: 'float32', shape: [1, R, L, L, 2, 2], data: Float32Array.from(W.flat(3)) },
      labels: { dtype: 'uint8', shape: [1, R, 2, 2], data: Uint8Array.from(Y.flat()) },
      mask: { dtype: 'float32', shape: [1, R], data: Float32Array.from(maskData) },
    },
    { threads: 1 },
  );
  return {
    loss: (res.loss.data as Float32Array)[0],
    dz: res.dz.data as Float32Array,
    dw: res.dw.data as Float32Array,
  };
}

const maxAbsDiff = (a: ArrayLike<number>, b: readonly number[]): number =>
  b.reduce((m, x, k) => Math.max(m, Math.abs(a[k] - x)), 0);

describe("annotator CM loss, variant 'published'", () => {
  it('the hand gradients are the central differences of the hand loss (float64, step 1e-6)', () => {
    const h = 1e-6;
    const hand = byHand('published');
    for (let c = 0; c < L; c++)
      for (let v = 0; v < P; v++) {
        const plus = Z.map((row, cc) => row.map((x, vv) => (cc === c && vv === v ? x + h : x)));
        const minus = Z.map((row, cc) => row.map((x, vv) => (cc === c && vv === v ? x - h : x)));
        const fd = (byHand('published', plus).loss - byHand('published', minus).loss) / (2 * h);
        expect(Math.abs(fd - hand.dz[c][v])).toBeLessThan(1e-8);
      }
    W.forEach((_, r) =>
      [0, 1].forEach((i) =>
        [0, 1].forEach((j) =>
          [0, 1, 2, 3].forEach((v) => {
            const bump = (d: number) =>
              W.map((wr, rr) =>
                wr.map((wi, ii) =>
                  wi.map((wj, jj) => wj.map((x, vv) => (rr === r && ii === i && jj === j && vv === v ? x + d : x))),
                ),
              );
            const fd = (byHand('published', Z, bump(h)).loss - byHand('published', Z, bump(-h)).loss) / (2 * h);
            expect(Math.abs(fd - hand.dw[r][i][j][v])).toBeLessThan(1e-8);
          }),
        ),
      ),
    );
  });

  it('matches the hand-computed value and gradients w.r.t. the segmentation and CM logits to 1e-6', async () => {
    const hand = byHand('published');
    const got = await byEngine('published');
    expect(Math.abs(got.loss - hand.loss)).toBeLessThan(1e-6);
    expect(maxAbsDiff(got.dz, hand.dz.flat())).toBeLessThan(1e-6);
    expect(maxAbsDiff(got.dw, hand.dw.flat(3))).toBeLessThan(1e-6);
    // The hand value itself, so a change of the example shows. Cross-checked once against the authors' code run
    // verbatim (Loss.py `noisy_label_loss`, PyTorch 1.13.1, float64, cms = softmax over i of these logits):
    // loss 3.0264879001710137, and its gradients w.r.t. both logits agreed with the hand ones to 4e-17.
    expect(hand.loss).toBeCloseTo(3.0264879, 7);
  });

  it("differs from 'paper' as −log softmax(A·p) differs from −log(A·p); the paper value matches its hand value", async () => {
    const paper = await byEngine('paper');
    const published = await byEngine('published');
    const handPaper = byHand('paper');
    expect(Math.abs(paper.loss - handPaper.loss)).toBeLessThan(1e-6);
    expect(maxAbsDiff(paper.dz, handPaper.dz.flat())).toBeLessThan(1e-6);
    expect(maxAbsDiff(paper.dw, handPaper.dw.flat(3))).toBeLessThan(1e-6);
    const difference = byHand('published').loss - handPaper.loss;
    expect(Math.abs(published.loss - paper.loss - difference)).toBeLessThan(1e-6);
    expect(Math.abs(difference)).toBeGreaterThan(0.05);
  });

  it('an annotator missing from the image (mask 0) adds nothing: value and gradients of the other alone', async () => {
    const hand = byHand('published', Z, W, [1, 0]);
    const got = await byEngine('published', [1, 0]);
    expect(Math.abs(got.loss - hand.loss)).toBeLessThan(1e-6);
    expect(maxAbsDiff(got.dz, hand.dz.flat())).toBeLessThan(1e-6);
    expect(maxAbsDiff(got.dw, hand.dw.flat(3))).toBeLessThan(1e-6);
    expect(maxAbsDiff(got.dw.subarray(L * L * P), Array(L * L * P).fill(0))).toBe(0);
    expect(hand.loss).toBeLessThan(byHand('published').loss);
  });
});

describe('CM loss names', () => {
  it('lists paper and published, and refuses another name naming the known ones', () => {
    expect(CM_LOSS_NAMES).toEqual(['paper', 'published']);
    expect(parseCmLossName('published')).toBe('published');
    expect(() => parseCmLossName('pytorch')).toThrow('unknown annotator CM loss "pytorch" (known: paper, published)');
  });
});
