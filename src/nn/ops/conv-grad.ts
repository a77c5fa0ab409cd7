/**
 * Gradient lowerings of convolution, chosen per shape. Measured on 2 cores (issue 6 table, and
 * `scripts/conv-grad-bench.ts`): for stride 1 the input gradient as a Conv with flipped, in/out-swapped weights
 * beats ConvTranspose about 4× (1.1–2× on the U-Net's layers here); the weight gradient as one batched MatMul
 * against shifted copies of the tensor with fewer channels beats the textbook batch/channel-swapped convolution
 * 1.5–3×. When x and dy have as many channels, splitting the taps between them (rows shifted in x, columns in dy)
 * copies 3 + 3 instead of 9 tensors for a 3×3 kernel and measured 0–25 % faster than shifting either alone.
 * Building x's copies as one Gather of whole rows (`shift-split-gather`) instead of a Slice per tap and a Concat
 * writes them once instead of twice: on the equal-width layers 0–38 % faster in 2D (U-Net, 128², batch 8) and
 * 14–19 % in 3D (HighRes3DNet, 48³), so it is the choice there.
 *
 * Notation: x [N, C, in…], dy [N, M, out…], w [M, C/group, k…]; a tap κ of the kernel reads
 * x[o·s + κ·d − p_begin] for output position o.
 */
import { MultiraterError } from '../../errors.ts';
import * as F from '../functional.ts';
import { tensorOf, type Value } from '../graph.ts';
import { flip } from './slice.ts';

/** A convolution's attributes with defaults filled in (see `geometry`), per spatial axis in pixels. */
export interface ConvGeometry {
  /** Step between output positions, per spatial axis. */
  readonly strides: readonly number[];
  /** [begin…, end…]. */
  readonly pads: readonly number[];
  /** Spacing between kernel taps, per spatial axis. */
  readonly dilations: readonly number[];
  /** Channel groups. */
  readonly group: number;
}

/**
 * How `convWeightGrad` builds dL/dw: shifted copies of x ('shift-x', any stride), of dy ('shift-dy', stride 1,
 * pads within the kernel's reach), of both ('shift-split', stride 1; '-gather' copies x's rows with one Gather),
 * or the batch/channel-swapped convolution ('textbook', the only one for group > 1).
 */
export type WeightGradLowering = 'shift-x' | 'shift-dy' | 'shift-split' | 'shift-split-gather' | 'textbook';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Every kernel tap as a multi-index, first axis slowest. */
function taps(kernel: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const k of kernel) out = out.flatMap((t) => range(k).map((i) => [...t, i]));
  return out;
}

/** w [M, C/g, k…] → [C, M/g, k…] flipped in space: the weights of the stride-1 input-gradient convolution. */
function flippedTransposed(w: Value, group: number): Value {
  const [m, cg, ...k] = w.staticShape;
  const sp = range(k.length).map((i) => i + 3);
  const grouped = F.reshape(w, [group, m / group, cg, ...k]);
  const swapped = F.reshape(F.transpose(grouped, [0, 2, 1, ...sp]), [group * cg, m / group, ...k]);
  return flip(
    swapped,
    range(k.length).map((i) => i + 2),
  );
}

/** dL/dx of `Conv(x, w)` given dy. */
export function convInputGrad(dy: Value, w: Value, x: Value, g: ConvGeometry): Value {
  const k = w.staticShape.slice(2);
  const n = k.length;
  const xs = x.staticShape.slice(2);
  const reach = k.map((kk, i) => g.dilations[i] * (kk - 1));
  const flipPads = [...reach.map((r, i) => r - g.pads[i]), ...reach.map((r, i) => r - g.pads[n + i])];
  if (g.strides.every((s) => s === 1) && flipPads.every((p) => p >= 0)) {
    return F.conv(dy, flippedTransposed(w, g.group), null, { pads: flipPads, dilations: g.dilations, group: g.group });
  }
  const dys = dy.staticShape.slice(2);
  const outputPadding = xs.map(
    (size, i) => size - (g.strides[i] * (dys[i] - 1) + reach[i] + 1 - g.pads[i] - g.pads[n + i]),
  );
  return F.convTranspose(dy, w, null, { ...g, outputPadding });
}

/** The lowering `convWeightGrad` uses for these shapes (see the file comment for the measurements). */
export function chooseWeightGradLowering(x: Value, dy: Value, w: Value, g: ConvGeometry): WeightGradLowering {
  if (g.group !== 1) return 'textbook';
  const unitStride = g.strides.every((s) => s === 1);
  const reach = w.staticShape.slice(2).map((kk, i) => g.dilations[i] * (kk - 1));
  const dyFits = unitStride && reach.every((r, i) => r >= g.pads[i] && r >= g.pads[reach.length + i]);
  const cx = x.staticShape[1];
  const cdy = dy.staticShape[1];
  if (unitStride && cdy === cx) return x.staticShape.length > 3 ? 'shift-split-gather' : 'shift-split';
  return dyFits && cdy < cx ? 'shift-dy' : 'shift-x';
}

/** dL/dw of `Conv(x, w)` given dy, by `lowering` (default: `chooseWeightGradLowering`). */
export function convWeightGrad(x: Value, dy: Value, w: Value, g: ConvGeometry, lowering?: WeightGradLowering): Value {
  const how = lowering ?? chooseWeightGradLowering(x, dy, w, g);
  if (how === 'textbook') return textbook(x, dy, w, g);
  if (g.group !== 1) throw new MultiraterError('invalid_argument', `conv weight gradient '${how}' needs group 1`);
  if (how === 'shift-x') return shiftX(x, dy, w, g);
  if (g.strides.some((st) => st !== 1))
    throw new MultiraterError('invalid_argument', `conv weight gradient '${how}' needs stride 1`);
  if (how === 'shift-split' || how === 'shift-split-gather')
    return shiftSplit(x, dy, w, g, how === 'shift-split-gather');
  const reach = w.staticShape.slice(2).map((kk, i) => g.dilations[i] * (kk - 1));
  if (reach.some((r, i) => r < g.pads[i] || r < g.pads[reach.length + i])) {
    throw new MultiraterError(
      'invalid_argument',
      "conv weight gradient 'shift-dy' needs pads no wider than the kernel's reach",
    );
  }
  return shiftDy(x, dy, w, g);
}

/**
 * Shifted copies of x, one per tap, stacked tap-major on the channel axis → [N, K·C, P]; then
 * dW[m, c, κ] = Σ_n Σ_p dy[n, m, p] · xs[n, κ·C + c, p] as one batched MatMul and a sum over n.
 */
function shiftX(x: Value, dy: Value, w: Value, g: ConvGeometry): Value {
  const [n, c] = x.staticShape;
  const [m, , ...k] = w.staticShape;
  const outSp = dy.staticShape.slice(2);
  const s = k.length;
  const xp = g.pads.some((p) => p !== 0)
    ? F.pad(x, { pads: [0, 0, ...g.pads.slice(0, s), 0, 0, ...g.pads.slice(s)] })
    : x;
  const axes = range(s).map((i) => i + 2);
  const parts = taps(k).map((t) => {
    const starts = t.map((ti, i) => ti * g.dilations[i]);
    const ends = starts.map((st, i) => st + g.strides[i] * (outSp[i] - 1) + 1);
    return F.slice(xp, starts, ends, axes, g.strides);
  });
  const p = outSp.reduce((a, b) => a * b, 1);
  const stacked = F.reshape(parts.length === 1 ? parts[0] : F.concat(parts, 1), [n, parts.length * c, p]);
  const dyT = F.transpose(F.reshape(dy, [n, m, p]), [0, 2, 1]);
  const prod = F.reduceSum(F.matmul(stacked, dyT), [0], false);
  const kcm = F.reshape(prod, [...k, c, m]);
  return F.transpose(kcm, [s + 1, s, ...range(s)]);
}

/**
 * Stride 1 only: shifted copies of dy (padded so every tap's copy is x-sized) → [N, K·M, P], then
 * dW[m, c, κ] = Σ_n Σ_p dys[n, κ·M + m, p] · x[n, c, p].
 */
function shiftDy(x: Value, dy: Value, w: Value, g: ConvGeometry): Value {
  const [n, c, ...inSp] = x.staticShape;
  const [m, , ...k] = w.staticShape;
  const s = k.length;
  const reach = k.map((kk, i) => g.dilations[i] * (kk - 1));
  const before = reach.map((r, i) => r - g.pads[i]);
  const after = reach.map((r, i) => r - g.pads[s + i]);
  const dp = F.pad(dy, { pads: [0, 0, ...before, 0, 0, ...after] });
  const axes = range(s).map((i) => i + 2);
  const parts = taps(k).map((t) => {
    const starts = t.map((ti, i) => reach[i] - ti * g.dilations[i]);
    return F.slice(
      dp,
      starts,
      starts.map((st, i) => st + inSp[i]),
      axes,
    );
  });
  const p = inSp.reduce((a, b) => a * b, 1);
  const stacked = F.reshape(parts.length === 1 ? parts[0] : F.concat(parts, 1), [n, parts.length * m, p]);
  const xT = F.transpose(F.reshape(x, [n, c, p]), [0, 2, 1]);
  const prod = F.reduceSum(F.matmul(stacked, xT), [0], false);
  const kmc = F.reshape(prod, [...k, m, c]);
  return F.transpose(kmc, [s, s + 1, ...range(s)]);
}

/**
 * Stride 1: the kernel's taps split between the operands — x shifted along the leading spatial axes, dy along the
 * last one — so x is copied K_lead times and dy K_last times (instead of one of them K times), and one MatMul
 * yields every tap pair: dW[m, c, κ_lead, κ_last] = Σ_p D_κlast[m, p]·R_κlead[c, p], p over out_lead × padded_last.
 */
function shiftSplit(x: Value, dy: Value, w: Value, g: ConvGeometry, gatherRows = false): Value {
  const [n, c] = x.staticShape;
  const [m, , ...k] = w.staticShape;
  const s = k.length;
  const outSp = dy.staticShape.slice(2);
  const reachLast = g.dilations[s - 1] * (k[s - 1] - 1);
  const xp = g.pads.some((p) => p !== 0)
    ? F.pad(x, { pads: [0, 0, ...g.pads.slice(0, s), 0, 0, ...g.pads.slice(s)] })
    : x;
  const lead = range(s - 1);
  const d = shiftedLast(dy, k[s - 1], g.dilations[s - 1], reachLast, n, m);
  const byGather = gatherRows && s > 1;
  const r = byGather ? leadCopiesByGather(xp, outSp, k, g.dilations) : leadCopiesBySlice(xp, outSp, k, g.dilations);
  const prod = F.reduceSum(F.matmul(d, F.transpose(r, [0, 2, 1])), [0], false);
  // Rows of r: channel-major (c, lead tap) from the Gather, tap-major (lead tap, c) from the slices.
  if (byGather)
    return F.transpose(F.reshape(prod, [k[s - 1], m, c, ...k.slice(0, s - 1)]), [1, 2, ...lead.map((i) => i + 3), 0]);
  return F.transpose(F.reshape(prod, [k[s - 1], m, ...k.slice(0, s - 1), c]), [1, s + 1, ...lead.map((i) => i + 2), 0]);
}

/** x's copies shifted by each lead tap (all spatial axes but the last), one Slice each, tap-major: [N, T·C, P]. */
function leadCopiesBySlice(
  xp: Value,
  outSp: readonly number[],
  k: readonly number[],
  dilations: readonly number[],
): Value {
  const [n, c, ...padded] = xp.staticShape;
  const s = k.length;
  const lead = range(s - 1);
  const parts = taps(k.slice(0, s - 1)).map((t) => {
    if (t.length === 0) return xp;
    const starts = t.map((ti, i) => ti * dilations[i]);
    return F.slice(
      xp,
      starts,
      starts.map((st, i) => st + outSp[i]),
      lead.map((i) => i + 2),
    );
  });
  const p = outSp.slice(0, s - 1).reduce((a, b) => a * b, 1) * padded[s - 1];
  return F.reshape(parts.length === 1 ? parts[0] : F.concat(parts, 1), [n, parts.length * c, p]);
}

/**
 * The same copies as one Gather of whole last-axis rows, channel-major: R[n, c·T + t, q·X' + x'] = xp[n, c, q + t·d, x']
 * (q over the output's lead positions); written once, where slicing and concatenating writes them twice.
 */
function leadCopiesByGather(
  xp: Value,
  outSp: readonly number[],
  k: readonly number[],
  dilations: readonly number[],
): Value {
  const [n, c, ...padded] = xp.staticShape;
  const s = k.length;
  const rows = padded.slice(0, s - 1).reduce((a, b) => a * b, 1);
  const flat = (pos: readonly number[]) => pos.reduce((acc, v, i) => acc * padded[i] + v, 0);
  const outLead = taps(outSp.slice(0, s - 1));
  const leadTaps = taps(k.slice(0, s - 1));
  const index: number[] = [];
  for (const t of leadTaps) for (const q of outLead) index.push(flat(q.map((qi, i) => qi + t[i] * dilations[i])));
  const indices = xp.graph.constant(tensorOf('int64', index, [leadTaps.length, outLead.length]), 'lead_taps');
  const gathered = F.gather(F.reshape(xp, [n, c, rows, padded[s - 1]]), indices, 2);
  return F.reshape(gathered, [n, c * leadTaps.length, outLead.length * padded[s - 1]]);
}

/** dy shifted along its last axis by each of the last axis's taps, zero-padded to the padded width: [N, K_last·M, P]. */
function shiftedLast(dy: Value, kLast: number, dilation: number, reachLast: number, n: number, m: number): Value {
  const rank = dy.staticShape.length;
  const parts = range(kLast).map((j) => {
    const pads = Array(2 * rank).fill(0);
    pads[rank - 1] = j * dilation;
    pads[2 * rank - 1] = reachLast - j * dilation;
    return F.pad(dy, { pads });
  });
  const p = dy.staticShape.slice(2, -1).reduce((a, b) => a * b, 1) * (dy.staticShape[rank - 1] + reachLast);
  return F.reshape(parts.length === 1 ? parts[0] : F.concat(parts, 1), [n, parts.length * m, p]);
}

/**
 * The textbook trick: a convolution of x with batch and channel axes swapped by dy likewise swapped (strides and
 * dilations exchange roles), cropped to the kernel; groups are done one at a time.
 */
function textbook(x: Value, dy: Value, w: Value, g: ConvGeometry): Value {
  const k = w.staticShape.slice(2);
  const s = k.length;
  const c = x.staticShape[1];
  const m = dy.staticShape[1];
  const perm = [1, 0, ...range(s).map((i) => i + 2)];
  const one = (xg: Value, dyg: Value): Value => {
    const full = F.conv(F.transpose(xg, perm), F.transpose(dyg, perm), null, {
      strides: g.dilations,
      dilations: g.strides,
      pads: g.pads,
    });
    const cropped = full.staticShape.slice(2).some((d, i) => d !== k[i])
      ? F.slice(
          full,
          k.map(() => 0),
          k,
          range(s).map((i) => i + 2),
        )
      : full;
    return F.transpose(cropped, perm);
  };
  if (g.group === 1) return one(x, dy);
  const xs = F.split(x, 1, Array(g.group).fill(c / g.group));
  const dys = F.split(dy, 1, Array(g.group).fill(m / g.group));
  return F.concat(
    xs.map((xg, i) => one(xg, dys[i])),
    0,
  );
}
