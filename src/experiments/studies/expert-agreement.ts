/**
 * How alike the experts draw: the Dice of every pair of experts' annotations (foreground = any label > 0) on each
 * case of one split — the inter-expert agreement matrix of the expert-adaptation report. Two empty annotations
 * agree fully (Dice 1).
 */
import { loadDataset, resolveCasePath, type Split } from '../../datasets/index.ts';
import { readVolume } from '../../io/index.ts';

/** Pairwise Dice of the experts' annotations per case of one split (see the file comment). */
export interface ExpertAgreement {
  /** The experts compared, in the order of `dice`'s first two indices. */
  experts: string[];
  /** The cases compared (those of the split annotated by every expert), in dataset order. */
  caseIds: string[];
  /** dice[a][b][c]: Dice of experts a and b on case c (1 on the diagonal). */
  dice: number[][][];
}

/** Dice of every pair of `masks` (foreground > 0): out[a][b], symmetric, 1 on the diagonal. */
export function pairwiseDice(masks: readonly ArrayLike<number>[]): number[][] {
  const sizes = masks.map((m) => {
    let n = 0;
    for (let v = 0; v < m.length; v++) if (m[v] > 0) n++;
    return n;
  });
  const out = masks.map(() => masks.map(() => 1));
  for (let a = 0; a < masks.length; a++) {
    for (let b = a + 1; b < masks.length; b++) {
      const [x, y] = [masks[a], masks[b]];
      let both = 0;
      for (let v = 0; v < x.length; v++) if (x[v] > 0 && y[v] > 0) both++;
      const sum = sizes[a] + sizes[b];
      out[a][b] = out[b][a] = sum === 0 ? 1 : (2 * both) / sum;
    }
  }
  return out;
}

/** The agreement of `experts` on the cases of `split` (default the training images) of the dataset at `data`. */
export function expertAgreement(data: string, experts: readonly string[], split: Split = 'train'): ExpertAgreement {
  const { dataset, root } = loadDataset(data);
  const cases = dataset.cases.filter((c) => c.meta.split === split && experts.every((e) => c.raters[e] !== undefined));
  const dice = experts.map(() => experts.map((): number[] => []));
  for (const c of cases) {
    const masks = experts.map((e) => readVolume(resolveCasePath(root, c.raters[e]), { maxDims: 3 }).data);
    const d = pairwiseDice(masks);
    experts.forEach((_, a) => experts.forEach((_, b) => dice[a][b].push(d[a][b])));
  }
  return { experts: [...experts], caseIds: cases.map((c) => c.id), dice };
}
