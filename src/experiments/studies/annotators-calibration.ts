/**
 * Table 5 of the annotators study: the over, under and wrong annotators this run trained on, against the truth
 * (image ≥ 0.5), beside those published with the authors' code for the seed (Zhang et al. 2020; 100 MNIST digits,
 * truth = image > 0.5) — area over the truth's and Dice, and the majority vote of the three. Ours are measured here
 * on the study's training digits from the simulated labels (annotators-identifiability.ts), for the five annotators
 * of Tables 1–2 and the three harsh ones of Table 3.
 */
import type { ReportTable } from '../../report/index.ts';
import { labelPatternStatistics, type LabelPatternStatistics } from './annotators-identifiability.ts';

/** The three annotators the published ones are quoted by, and their majority vote. */
const CALIBRATED = ['over', 'under', 'wrong'] as const;

/** The published annotators (the issue's figures from the authors' code): area over the truth's, Dice. */
export const PUBLISHED_ANNOTATORS: Record<
  (typeof CALIBRATED)[number] | 'majority',
  { area: number | null; dice: number }
> = {
  over: { area: 2.9, dice: 0.51 },
  under: { area: 0.32, dice: 0.42 },
  wrong: { area: 2.0, dice: 0.53 },
  majority: { area: null, dice: 0.56 },
};

/**
 * Table 5 from the dataset folders of Tables 1–2 (`five`) and Table 3 (`harsh`), either null when not in the run;
 * null when neither is.
 */
export function calibrationTable(five: string | null, harsh: string | null): ReportTable | null {
  if (five === null && harsh === null) return null;
  const stats = (data: string | null): LabelPatternStatistics | null =>
    data === null ? null : labelPatternStatistics(data, CALIBRATED, 'train');
  const sets = { five: stats(five), harsh: stats(harsh) };
  const rows = (['over', 'under', 'wrong', 'majority'] as const).map((name) => {
    const of = (s: LabelPatternStatistics | null) => s?.annotators.find((a) => a.name === name) ?? null;
    const [f, h] = [of(sets.five), of(sets.harsh)];
    return {
      annotator: name === 'majority' ? 'majority of the three' : name,
      publishedArea: PUBLISHED_ANNOTATORS[name].area,
      publishedDice: PUBLISHED_ANNOTATORS[name].dice,
      fiveArea: f?.areaOverTruth ?? null,
      fiveDice: f?.meanDice ?? null,
      harshArea: h?.areaOverTruth ?? null,
      harshDice: h?.meanDice ?? null,
    };
  });
  const digits = (s: LabelPatternStatistics | null) => (s === null ? 'not in this run' : `${s.cases} training digits`);
  return {
    id: 'table5-calibration',
    title: "Table 5. The annotators against the truth: this run's beside those published with the seed's code",
    columns: [
      { key: 'annotator', label: 'annotator' },
      ...[
        ['published', 'published'],
        ['five', 'Tables 1–2'],
        ['harsh', 'Table 3'],
      ].flatMap(([key, label]) => [
        { key: `${key}Area`, label: `${label}: area / truth`, decimals: 2 },
        { key: `${key}Dice`, label: `${label}: Dice`, decimals: 2 },
      ]),
    ],
    rows,
    footnotes: [
      "Published: the annotators released with Zhang et al.'s code (100 MNIST digits, truth = image > 0.5; the majority's area is not quoted).",
      `This run: measured from the simulated labels on the training digits (truth = intensity ≥ 0.5): area = the annotator's pixels over the truth's, pooled over the digits; Dice = the mean over digits of the annotator's Dice against the truth; the majority = at least two of over, under and wrong. Tables 1–2 (five annotators; only these three here): ${digits(sets.five)}; Table 3 (the three harsh ones): ${digits(sets.harsh)}.`,
      'On the published annotators themselves (70 training digits), the probe of issue 29 measured test Dice: ours 62, a U-Net on the mean labels 67, the per-pixel oracle 98.',
    ],
  };
}
