/**
 * The non-expert study's noise type × loss tables (issue 28 §4). MAE's robustness is to random label noise; the
 * phantom's 30-minute non-expert errs systematically (left-out apical slices, shifted boundaries). Its random-error
 * twin (`<rater>-random`: the same per-structure Dice against the expert, errors in random blobs) is trained with the
 * same losses, so the gap to the expert-trained model can be read per noise type and loss. Table `noise-by-loss`:
 * rows noise type × loss, columns the Dice gap (arm − expert CE+Dice, same model and test cases) per test set and
 * structure, mean ± sd over the models. Table `noise-loss-effects`: the loss's effect within each noise type, the
 * noise type's within each loss, and their interaction, from the same per-model gaps. A note says, from the first
 * table's means, whether MAE+Dice narrows the gap with random errors and with systematic ones.
 */
import type { ReportCell, ReportColumn, ReportTable } from '../../report/index.ts';
import { summarize } from '../../stats/index.ts';
import { lossLabel } from './nonexpert-figures.ts';

/** A trained model's evaluation: which model, on which test set, trained on whose labels with which loss. */
export interface NoiseArm {
  /** The network (`unet2d`, …): the `model` tag of its jobs. */
  model: string;
  /** The test set evaluated on: `in-domain` or `shifted`. */
  testSet: string;
  /** The rater whose labels trained it (`expert`, `nonexpert1`, `nonexpert1-random`, …). */
  rater: string;
  /** The training loss (`ce+dice`, `mae+dice`). */
  loss: string;
}

const STRUCTURES = ['LV', 'MYO', 'RV'];
const LOSSES = ['ce+dice', 'mae+dice'];
const EXPERT: Pick<NoiseArm, 'rater' | 'loss'> = { rater: 'expert', loss: 'ce+dice' };
/** The suffix naming a rater's random-error twin (raters/random-error-rater.ts). */
const RANDOM_SUFFIX = '-random';

/** Per-model gaps, keyed `rater|loss` → column → model → gap (mean over the shared cases of arm − expert). */
type Gaps = Map<string, Map<string, Map<string, number>>>;

/** The mean of `a − b` over the ids both have (in `a`'s order), or null when they share none. */
function meanDifference(a: Map<string, number> | undefined, b: Map<string, number> | undefined): number | null {
  if (a === undefined || b === undefined) return null;
  const ids = [...a.keys()].filter((id) => b.has(id));
  return ids.length === 0 ? null : ids.reduce((sum, id) => sum + a.get(id)! - b.get(id)!, 0) / ids.length;
}

function gapsOf(
  arms: readonly NoiseArm[],
  columns: readonly { key: string; testSet: string; structure: string }[],
  diceOf: (arm: NoiseArm, structure: string) => Map<string, number> | undefined,
): Gaps {
  const gaps: Gaps = new Map();
  for (const arm of arms) {
    if (arm.rater === EXPERT.rater) continue;
    const byColumn = gaps.get(`${arm.rater}|${arm.loss}`) ?? new Map<string, Map<string, number>>();
    gaps.set(`${arm.rater}|${arm.loss}`, byColumn);
    for (const col of columns) {
      if (col.testSet !== arm.testSet) continue;
      const gap = meanDifference(diceOf(arm, col.structure), diceOf({ ...arm, ...EXPERT }, col.structure));
      if (gap === null) continue;
      const byModel = byColumn.get(col.key) ?? new Map<string, number>();
      byColumn.set(col.key, byModel);
      byModel.set(arm.model, gap);
    }
  }
  return gaps;
}

/** Mean ± sd over the models `a` and `b` share of `combine(a, b)` (b omitted: `a` alone). */
function overModels(
  a: Map<string, number> | undefined,
  b: Map<string, number> | undefined,
  combine: (x: number, y: number) => number,
): ReportCell {
  const models = [...(a?.keys() ?? [])].filter((m) => b === undefined || b.has(m));
  const s = summarize(models.map((m) => combine(a!.get(m)!, b?.get(m) ?? 0)));
  return { mean: s.mean, sd: s.sd, n: s.n };
}

const meanOf = (cell: ReportCell): number | null =>
  typeof cell === 'object' && cell !== null ? cell.mean : typeof cell === 'number' ? cell : null;

/**
 * The sentence saying, from the noise-by-loss table's means, in how many (test set × structure) cells MAE+Dice's
 * gap is smaller in magnitude than CE+Dice's, and the mean |gap| of each loss over the cells both have.
 */
function narrowingSentence(
  rater: string,
  noise: string,
  rows: Map<string, Record<string, ReportCell>>,
  keys: readonly string[],
): string | null {
  const ce = rows.get(`${rater}|ce+dice`);
  const mae = rows.get(`${rater}|mae+dice`);
  if (ce === undefined || mae === undefined) return null;
  const pairs = keys
    .map((k) => [meanOf(ce[k]), meanOf(mae[k])] as const)
    .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  if (pairs.length === 0) return null;
  const narrower = pairs.filter(([c, m]) => Math.abs(m) < Math.abs(c)).length;
  const mean = (i: 0 | 1): number => pairs.reduce((sum, p) => sum + Math.abs(p[i]), 0) / pairs.length;
  const [c, m] = [mean(0), mean(1)];
  const verdict = m < c ? 'narrows' : 'does not narrow';
  return `with ${noise} errors (${rater}) MAE+Dice ${verdict} the gap: its |ΔDice| is the smaller in ${narrower} of ${pairs.length} cells, mean |ΔDice| ${c.toFixed(3)} with CE+Dice and ${m.toFixed(3)} with MAE+Dice`;
}

/**
 * The two tables and the note (null when the plan has no rater with its random-error twin, or nothing finished);
 * `diceOf` gives an arm's per-case Dice of a structure (averaged over repeats), keyed by case id.
 */
export function nonexpertNoiseTables(
  arms: readonly NoiseArm[],
  testSets: readonly string[],
  diceOf: (arm: NoiseArm, structure: string) => Map<string, number> | undefined,
): { tables: ReportTable[]; note: string } | null {
  const raters = new Set(arms.map((a) => a.rater));
  const twins = [...raters].filter((r) => !r.endsWith(RANDOM_SUFFIX) && raters.has(r + RANDOM_SUFFIX));
  if (twins.length === 0) return null;
  const columns = testSets.flatMap((testSet) =>
    STRUCTURES.map((structure) => ({ key: `${testSet}:${structure}`, testSet, structure })),
  );
  const gaps = gapsOf(arms, columns, diceOf);
  const gapColumns: ReportColumn[] = columns.map((col) => ({
    key: col.key,
    label: `ΔDice ${col.structure} (${col.testSet})`,
    decimals: 3,
    lowerIsBetter: false,
  }));
  const cellsOf = (cell: (key: string) => ReportCell): Record<string, ReportCell> =>
    Object.fromEntries(columns.map((col) => [col.key, cell(col.key)]));
  const gap = (rater: string, loss: string, key: string) => gaps.get(`${rater}|${loss}`)?.get(key);
  const noiseOf = (rater: string): string => (rater.endsWith(RANDOM_SUFFIX) ? 'random' : 'systematic');

  const byArm = new Map<string, Record<string, ReportCell>>();
  const effects: Record<string, ReportCell>[] = [];
  for (const rater of twins) {
    const random = rater + RANDOM_SUFFIX;
    for (const r of [rater, random])
      for (const loss of LOSSES)
        if (gaps.has(`${r}|${loss}`))
          byArm.set(
            `${r}|${loss}`,
            cellsOf((key) => overModels(gap(r, loss, key), undefined, (x) => x)),
          );
    const minus = (x: number, y: number): number => x - y;
    const lossEffect = (r: string) => (key: string) =>
      overModels(gap(r, 'mae+dice', key), gap(r, 'ce+dice', key), minus);
    const noiseEffect = (loss: string) => (key: string) =>
      overModels(gap(random, loss, key), gap(rater, loss, key), minus);
    const interaction = (key: string): ReportCell => {
      const of = (r: string): Map<string, number> => {
        const mae = gap(r, 'mae+dice', key);
        const ce = gap(r, 'ce+dice', key);
        return new Map([...(mae ?? [])].filter(([m]) => ce?.has(m)).map(([m, v]) => [m, v - ce!.get(m)!]));
      };
      return overModels(of(random), of(rater), minus);
    };
    effects.push(
      { effect: 'loss: MAE+Dice − CE+Dice', within: `systematic (${rater})`, ...cellsOf(lossEffect(rater)) },
      { effect: 'loss: MAE+Dice − CE+Dice', within: `random (${random})`, ...cellsOf(lossEffect(random)) },
      { effect: 'noise type: random − systematic', within: 'CE+Dice', ...cellsOf(noiseEffect('ce+dice')) },
      { effect: 'noise type: random − systematic', within: 'MAE+Dice', ...cellsOf(noiseEffect('mae+dice')) },
      { effect: 'interaction: loss effect (random) − loss effect (systematic)', within: '', ...cellsOf(interaction) },
    );
  }
  if (byArm.size === 0) return null;
  const rows = [...byArm].map(([key, cells]) => {
    const [rater, loss] = key.split('|');
    return { noise: noiseOf(rater), rater, loss: lossLabel(loss), ...cells };
  });
  const keys = columns.map((col) => col.key);
  const sentences = twins.flatMap((rater) =>
    [
      narrowingSentence(rater + RANDOM_SUFFIX, 'random', byArm, keys),
      narrowingSentence(rater, 'systematic', byArm, keys),
    ].filter((x): x is string => x !== null),
  );
  const note =
    sentences.length === 0
      ? 'Noise type × loss: no model has finished both losses of a rater, so the table cannot say whether MAE+Dice narrows the gap.'
      : `Noise type × loss (table "noise-by-loss", means over models, ${keys.length / STRUCTURES.length} test set(s) × ${STRUCTURES.length} structures): ${sentences.join('; ')}. Table "noise-loss-effects" separates the loss's effect, the noise type's and their interaction.`;
  const over =
    "Mean ± sd over the models (n) of each model's gap: the mean over the test cases of its Dice minus the Dice of the same model trained on the expert with CE+Dice, each case first averaged over repeats; negative: worse than the expert-trained model.";
  return {
    note,
    tables: [
      {
        id: 'noise-by-loss',
        title: 'Table 4. Noise type × loss: Dice gap to the expert-trained model',
        columns: [
          { key: 'noise', label: 'noise type' },
          { key: 'rater', label: 'trained on' },
          { key: 'loss', label: 'loss' },
          ...gapColumns,
        ],
        rows,
        footnotes: [
          over,
          "systematic: the simulated non-expert (left-out apical slices, shifted boundaries); random: its random-error twin, the expert's labels with errors in random blobs calibrated per case and structure to the same Dice against the expert (raters/random-error-rater.ts).",
          'Whether a difference is significant per model: the † marks (MAE+Dice against CE+Dice) and * marks (against the expert) of Tables 1–3 and table "tests".',
        ],
      },
      {
        id: 'noise-loss-effects',
        title: 'Table 5. Noise type and loss separated: effects on the Dice gap',
        columns: [{ key: 'effect', label: 'effect' }, { key: 'within', label: 'within' }, ...gapColumns],
        rows: effects,
        footnotes: [
          "Differences of the per-model gaps of Table 4, mean ± sd over the models that have both arms; positive: the first named has the higher Dice, so the smaller gap where the gaps are negative. Loss effect: MAE+Dice's gap minus CE+Dice's for the same rater. Noise-type effect: the random-error twin's gap minus the systematic rater's with the same loss. Interaction: the loss effect with random errors minus the loss effect with systematic errors (positive: MAE+Dice helps more against random errors).",
        ],
      },
    ],
  };
}
