/**
 * The expert-adaptation report's notes on the seed's two findings, computed from its own Tables I–III so that a
 * reader sees whether each holds here and, when it does not, the measurement that says why:
 * 1. Fine-tuning the multi-expert model beats training from scratch on few images of the new expert (the seed,
 *    QUBIQ brain growth with 5 images: 88.66 vs 85.46 % Dice). Holds when the fine-tuned Dice at the smallest n is
 *    significantly better (paired over the ways, p < 0.05) than both from-scratch arms.
 * 2. More training experts make a better start for adaptation (the seed's Table III rises with k).
 * The reason given when 1 does not hold is the scratch learning curve: the Dice gained by scratch training from the
 * smallest n to the largest. A pre-trained start can only fill the headroom that more images would; when training
 * on n images already reaches what all of them give, there is no gap of the seed's size to close.
 */
import type { ReportCell, ReportTable, SummaryCell } from '../../report/index.ts';

/** The seed's Table II at its smallest n (5 images): fine-tuned vs from scratch, Dice %. */
export const SEED_FINETUNE = { n: 5, finetuned: 88.66, scratch: 85.46 } as const;

const isSummary = (c: ReportCell | undefined): c is SummaryCell => typeof c === 'object' && c !== null && 'mean' in c;
const meanOf = (c: ReportCell | undefined): number | null => (isSummary(c) ? c.mean : null);
const numberOf = (c: ReportCell | undefined): number | null => (typeof c === 'number' ? c : null);
const pct = (v: number | null): string => (v === null ? '–' : `${v.toFixed(2)} %`);
const pText = (p: number | null): string => (p === null ? 'p undefined' : `p = ${p.toFixed(3)}`);

/** The arms of Tables II–III as the notes name them, by their row-key prefix. */
export interface FindingArm {
  /**
   * The arm's row-key prefix in Tables II–III (`scratch`, `scratch-converged`): columns `<method>:dice`, `p:<method>`.
   */
  method: string;
  /** How the notes name the arm, e.g. `to convergence`. */
  label: string;
}

/** Finding 1 for one new expert, from its Table II and Table I. */
function finetuneNote(expert: string, two: ReportTable, one: ReportTable | undefined, arms: readonly FindingArm[]) {
  const rows = two.rows;
  if (rows.length === 0) return null;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const n0 = numberOf(first.n);
  const tuned = meanOf(first['multi:dice']);
  const versus = arms.map((a) => ({
    arm: a,
    dice: meanOf(first[`${a.method}:dice`]),
    p: numberOf(first[`p:${a.method}`]),
  }));
  if (tuned === null || versus.some((v) => v.dice === null)) return null;
  const holds = versus.every((v) => v.p !== null && v.p < 0.05 && tuned > v.dice!);
  const seedGap = SEED_FINETUNE.finetuned - SEED_FINETUNE.scratch;
  const head = `Seed finding 1, fine-tuning beats training from scratch on few images of the new expert (the seed, ${SEED_FINETUNE.n} images: ${SEED_FINETUNE.finetuned} vs ${SEED_FINETUNE.scratch} % Dice, +${seedGap.toFixed(2)}): on ${expert} with n = ${n0}, fine-tuned ${pct(tuned)} vs ${versus.map((v) => `${pct(v.dice)} (${v.arm.label}, ${pText(v.p)})`).join(' and ')}`;
  if (holds) return `${head}: holds.`;
  const nLast = numberOf(last.n);
  const curve = arms.map((a) => {
    const from = meanOf(first[`${a.method}:dice`]);
    const to = meanOf(last[`${a.method}:dice`]);
    return { arm: a, from, to, gain: from === null || to === null ? null : to - from };
  });
  const best = one?.rows
    .map((r) => meanOf(r[`${expert}:dice`]))
    .filter((v): v is number => v !== null)
    .reduce<number | null>((a, b) => (a === null || b > a ? b : a), null);
  const gains = curve
    .map(
      (c) =>
        `${c.gain === null ? '–' : (c.gain >= 0 ? '+' : '') + c.gain.toFixed(2)} points (${c.arm.label}, ${pct(c.from)} → ${pct(c.to)})`,
    )
    .join(', ');
  const maxGain = Math.max(...curve.map((c) => c.gain ?? -Infinity));
  const bestText =
    best === null || best === undefined
      ? ''
      : ` The best single-expert model of Table I reaches ${pct(best)} on ${expert}.`;
  if (!(maxGain < seedGap))
    return `${head}: does not show here, although scratch training still gains ${gains} from n = ${n0} to n = ${nLast} images, so there is headroom a pre-trained start could fill.${bestText}`;
  return `${head}: does not show here. Why: training from scratch gains only ${gains} from n = ${n0} to n = ${nLast} images; a pre-trained start can only fill the headroom more images would, at most ${Math.max(0, maxGain).toFixed(2)} points here against the seed's gap of ${seedGap.toFixed(2)}. The phantom's task at this resolution is learnt from a handful of images; the seed's gap needs a task that is not.${bestText}`;
}

/** Finding 2 for one new expert, from its Table III: the fine-tuned Dice over k against its sd over the ways. */
function expertsNote(expert: string, three: ReportTable) {
  const tuned = three.rows
    .filter((r) => r.arm === 'fine-tuned')
    .map((r) => ({ k: numberOf(r.k), cell: isSummary(r.dice) ? r.dice : null }))
    .filter((r): r is { k: number; cell: SummaryCell } => r.k !== null && r.cell !== null && r.cell.mean !== null);
  if (tuned.length < 2) return null;
  const first = tuned[0];
  const last = tuned[tuned.length - 1];
  const means = tuned.map((t) => t.cell.mean!);
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  const sds = tuned.map((t) => t.cell.sd).filter((v): v is number => v !== null);
  const sdMax = sds.length === 0 ? null : Math.max(...sds);
  const rises = means.every((v, i) => i === 0 || v >= means[i - 1]) && last.cell.mean! > first.cell.mean!;
  const head = `Seed finding 2, more training experts make a better start (the seed's Table III rises with k): on ${expert}, fine-tuned Dice over k = ${first.k}…${last.k} spans ${pct(lo)}–${pct(hi)} (k = ${first.k}: ${pct(first.cell.mean)}, k = ${last.k}: ${pct(last.cell.mean)})`;
  if (sdMax !== null && hi - lo < sdMax)
    return `${head}: does not show here; the whole spread over k is smaller than the sd over the ways (up to ${sdMax.toFixed(2)} points).`;
  return `${head}: ${rises ? 'shows (Dice rises with k)' : 'does not show here (Dice does not rise with k)'}.`;
}

/**
 * The notes on the seed's findings for each new expert, from the report's tables (ids `table1-single-expert`,
 * `table2-finetune-<expert>`, `table3-experts-<expert>`); a note whose table is missing or empty is left out.
 */
export function expertAdaptationFindings(
  tables: readonly ReportTable[],
  newExperts: readonly string[],
  arms: readonly FindingArm[],
): string[] {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const one = byId.get('table1-single-expert');
  return newExperts.flatMap((e) => {
    const two = byId.get(`table2-finetune-${e}`);
    const three = byId.get(`table3-experts-${e}`);
    return [
      two === undefined ? null : finetuneNote(e, two, one, arms),
      three === undefined ? null : expertsNote(e, three),
    ].filter((n): n is string => n !== null);
  });
}
