/**
 * Cardiac clinical indices (SPEC-metrics.md, as reported in the ACDC challenge, Bernard et al., IEEE TMI 2018):
 * LV/RV end-diastolic and end-systolic volumes, stroke volume SV = EDV − ESV, ejection fraction
 * EF = 100·(EDV − ESV)/EDV, myocardial mass = myocardium volume at ED × 1.05 g/mL; per subject from its ED and ES
 * cases (Case.meta.subject and meta.frame), with signed (prediction − reference) and absolute errors.
 */
import type { Case } from '../datasets/dataset.ts';

/** Myocardial tissue density, g/mL. */
export const MYOCARDIUM_DENSITY_G_PER_ML = 1.05;

/** Label values of the cardiac structures. */
export interface CardiacLabels {
  /** Left-ventricle cavity label. */
  lv: number;
  /** Myocardium label. */
  myo: number;
  /** Right-ventricle cavity label. */
  rv: number;
}

/** Structure volumes of one frame, mL. */
export interface CardiacVolumes {
  lv_mL: number;
  myo_mL: number;
  rv_mL: number;
}

/** Clinical indices of one subject. Volumes mL, EF %, mass g; EF null when EDV is 0. */
export interface CardiacIndices {
  lvEdv_mL: number;
  lvEsv_mL: number;
  lvSv_mL: number;
  lvEf_pct: number | null;
  rvEdv_mL: number;
  rvEsv_mL: number;
  rvSv_mL: number;
  rvEf_pct: number | null;
  myoMass_g: number;
}

/** Names of the indices, in output order. */
export const CARDIAC_INDEX_NAMES = ['lvEdv_mL', 'lvEsv_mL', 'lvSv_mL', 'lvEf_pct', 'rvEdv_mL', 'rvEsv_mL', 'rvSv_mL', 'rvEf_pct', 'myoMass_g'] as const;

/** Per-index errors of a prediction: signed (prediction − reference) or absolute; null where either is null. */
export type CardiacIndexErrors = Record<(typeof CARDIAC_INDEX_NAMES)[number], number | null>;

/** The label values named LV, MYO and RV (case-insensitive) in a dataset's label map, or null if any is missing. */
export function cardiacLabelsOf(labels: Record<string, string>): CardiacLabels | null {
  const find = (name: string): number | null => {
    const hit = Object.entries(labels).find(([, n]) => n.trim().toUpperCase() === name);
    return hit ? Number(hit[0]) : null;
  };
  const lv = find('LV');
  const myo = find('MYO');
  const rv = find('RV');
  return lv === null || myo === null || rv === null ? null : { lv, myo, rv };
}

/** Structure volumes (mL) from per-label volumes in mm³ (as `LabelMetrics.volumePred_mm3`), keyed by label value. */
export function cardiacVolumes(volumes_mm3: Record<string, number>, labels: CardiacLabels): CardiacVolumes {
  const mL = (label: number): number => (volumes_mm3[String(label)] ?? 0) / 1000;
  return { lv_mL: mL(labels.lv), myo_mL: mL(labels.myo), rv_mL: mL(labels.rv) };
}

/** Clinical indices from the ED and ES volumes of one subject. */
export function cardiacIndices(ed: CardiacVolumes, es: CardiacVolumes): CardiacIndices {
  const ef = (edv: number, esv: number): number | null => (edv === 0 ? null : (100 * (edv - esv)) / edv);
  return {
    lvEdv_mL: ed.lv_mL,
    lvEsv_mL: es.lv_mL,
    lvSv_mL: ed.lv_mL - es.lv_mL,
    lvEf_pct: ef(ed.lv_mL, es.lv_mL),
    rvEdv_mL: ed.rv_mL,
    rvEsv_mL: es.rv_mL,
    rvSv_mL: ed.rv_mL - es.rv_mL,
    rvEf_pct: ef(ed.rv_mL, es.rv_mL),
    myoMass_g: ed.myo_mL * MYOCARDIUM_DENSITY_G_PER_ML,
  };
}

/** Signed (prediction − reference) and absolute errors per index: mL, percentage points, g. */
export function cardiacIndexErrors(pred: CardiacIndices, ref: CardiacIndices): { signed: CardiacIndexErrors; absolute: CardiacIndexErrors } {
  const signed = {} as CardiacIndexErrors;
  const absolute = {} as CardiacIndexErrors;
  for (const name of CARDIAC_INDEX_NAMES) {
    const p = pred[name];
    const r = ref[name];
    signed[name] = p === null || r === null ? null : p - r;
    absolute[name] = p === null || r === null ? null : Math.abs(p - r);
  }
  return { signed, absolute };
}

/** One subject's ED and ES cases. */
export interface SubjectFrames {
  subject: string;
  ed: Case;
  es: Case;
}

/** Subjects having exactly one ED and one ES case among `cases` (meta.subject, meta.frame), sorted by subject. */
export function subjectFrames(cases: readonly Case[]): SubjectFrames[] {
  const bySubject = new Map<string, { ed: Case[]; es: Case[] }>();
  for (const c of cases) {
    const subject = c.meta.subject;
    const frame = c.meta.frame;
    if (subject === undefined || (frame !== 'ED' && frame !== 'ES')) continue;
    const entry = bySubject.get(subject) ?? { ed: [], es: [] };
    (frame === 'ED' ? entry.ed : entry.es).push(c);
    bySubject.set(subject, entry);
  }
  return [...bySubject]
    .filter(([, f]) => f.ed.length === 1 && f.es.length === 1)
    .map(([subject, f]) => ({ subject, ed: f.ed[0], es: f.es[0] }))
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}
