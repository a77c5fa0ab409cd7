/**
 * Cardiac clinical indices (SPEC-metrics.md, as reported in the ACDC challenge, Bernard et al., IEEE TMI 2018):
 * LV/RV end-diastolic and end-systolic volumes, stroke volume SV = EDV − ESV, ejection fraction
 * EF = 100·(EDV − ESV)/EDV, myocardial mass = myocardium volume at ED × 1.05 g/mL; per subject from its ED and ES
 * cases (Case.meta.subject and meta.frame), with signed (prediction − reference) and absolute errors.
 * Only the LV cavity is required: datasets that label LV alone, or LV and myocardium (common in animal studies),
 * get the indices their labels allow, the others null.
 */
import type { Case } from '../datasets/index.ts';

/** Myocardial tissue density, g/mL. */
export const MYOCARDIUM_DENSITY_G_PER_ML = 1.05;

/** Label values of the cardiac structures; null for a structure the dataset does not label. */
export interface CardiacLabels {
  /** Left-ventricle cavity label. */
  lv: number;
  /** Myocardium label, or null. */
  myo: number | null;
  /** Right-ventricle cavity label, or null. */
  rv: number | null;
}

/** Structure volumes of one frame, mL; null for a structure not labelled. */
export interface CardiacVolumes {
  /** Left-ventricle cavity volume, mL. */
  lv_mL: number;
  /** Myocardium volume, mL; null when not labelled. */
  myo_mL: number | null;
  /** Right-ventricle cavity volume, mL; null when not labelled. */
  rv_mL: number | null;
}

/** Clinical indices of one subject. Volumes mL, EF %, mass g; EF null when EDV is 0; RV and mass null when not labelled. */
export interface CardiacIndices {
  /** LV end-diastolic volume, mL. */
  lvEdv_mL: number;
  /** LV end-systolic volume, mL. */
  lvEsv_mL: number;
  /** LV stroke volume EDV − ESV, mL. */
  lvSv_mL: number;
  /** LV ejection fraction 100·(EDV − ESV)/EDV, %; null when EDV is 0. */
  lvEf_pct: number | null;
  /** RV end-diastolic volume, mL; null without an RV label. */
  rvEdv_mL: number | null;
  /** RV end-systolic volume, mL; null without an RV label. */
  rvEsv_mL: number | null;
  /** RV stroke volume EDV − ESV, mL; null without an RV label. */
  rvSv_mL: number | null;
  /** RV ejection fraction 100·(EDV − ESV)/EDV, %; null without an RV label or when EDV is 0. */
  rvEf_pct: number | null;
  /** Myocardial mass: myocardium volume at ED × 1.05 g/mL, g; null without a myocardium label. */
  myoMass_g: number | null;
}

/** Names of the indices, in output order. */
export const CARDIAC_INDEX_NAMES = [
  'lvEdv_mL',
  'lvEsv_mL',
  'lvSv_mL',
  'lvEf_pct',
  'rvEdv_mL',
  'rvEsv_mL',
  'rvSv_mL',
  'rvEf_pct',
  'myoMass_g',
] as const;

/** One clinical index name. */
export type CardiacIndexName = (typeof CARDIAC_INDEX_NAMES)[number];

/** Per-index errors of a prediction: signed (prediction − reference) or absolute; null where either is null. */
export type CardiacIndexErrors = Record<CardiacIndexName, number | null>;

/** Label names (upper-cased, trimmed) read as each structure. */
const STRUCTURE_NAMES = {
  lv: ['LV', 'LV CAVITY', 'LV BLOOD POOL', 'LEFT VENTRICLE'],
  myo: ['MYO', 'MYOCARDIUM', 'LV MYOCARDIUM'],
  rv: ['RV', 'RV CAVITY', 'RV BLOOD POOL', 'RIGHT VENTRICLE'],
} as const;

/**
 * The label values of the cardiac structures, found by name (case-insensitive: LV, "LV cavity", "left ventricle";
 * MYO, myocardium; RV, "RV cavity", "right ventricle"), or null when no label is the LV cavity.
 */
export function cardiacLabelsOf(labels: Record<string, string>): CardiacLabels | null {
  const find = (names: readonly string[]): number | null => {
    const hit = Object.entries(labels).find(([, n]) => names.includes(n.trim().toUpperCase()));
    return hit ? Number(hit[0]) : null;
  };
  const lv = find(STRUCTURE_NAMES.lv);
  return lv === null ? null : { lv, myo: find(STRUCTURE_NAMES.myo), rv: find(STRUCTURE_NAMES.rv) };
}

/** The indices `labels` allow: the LV ones always, myocardial mass with a myocardium label, the RV ones with an RV label. */
export function cardiacIndexNamesFor(labels: CardiacLabels): CardiacIndexName[] {
  return CARDIAC_INDEX_NAMES.filter((name) =>
    name.startsWith('rv') ? labels.rv !== null : name.startsWith('myo') ? labels.myo !== null : true,
  );
}

/** Structure volumes (mL) from per-label volumes in mm³ (as `LabelMetrics.volumePred_mm3`), keyed by label value. */
export function cardiacVolumes(volumes_mm3: Record<string, number>, labels: CardiacLabels): CardiacVolumes {
  const mL = (label: number): number => (volumes_mm3[String(label)] ?? 0) / 1000;
  return {
    lv_mL: mL(labels.lv),
    myo_mL: labels.myo === null ? null : mL(labels.myo),
    rv_mL: labels.rv === null ? null : mL(labels.rv),
  };
}

/** Clinical indices from the ED and ES volumes of one subject. */
export function cardiacIndices(ed: CardiacVolumes, es: CardiacVolumes): CardiacIndices {
  const ef = (edv: number, esv: number): number | null => (edv === 0 ? null : (100 * (edv - esv)) / edv);
  const rv = ed.rv_mL !== null && es.rv_mL !== null ? { ed: ed.rv_mL, es: es.rv_mL } : null;
  return {
    lvEdv_mL: ed.lv_mL,
    lvEsv_mL: es.lv_mL,
    lvSv_mL: ed.lv_mL - es.lv_mL,
    lvEf_pct: ef(ed.lv_mL, es.lv_mL),
    rvEdv_mL: rv ? rv.ed : null,
    rvEsv_mL: rv ? rv.es : null,
    rvSv_mL: rv ? rv.ed - rv.es : null,
    rvEf_pct: rv ? ef(rv.ed, rv.es) : null,
    myoMass_g: ed.myo_mL === null ? null : ed.myo_mL * MYOCARDIUM_DENSITY_G_PER_ML,
  };
}

/** Signed (prediction − reference) and absolute errors per index: mL, percentage points, g. */
export function cardiacIndexErrors(
  pred: CardiacIndices,
  ref: CardiacIndices,
): {
  /** Prediction − reference per index (mL, percentage points, g); null when either is null. */
  signed: CardiacIndexErrors;
  /** |prediction − reference| per index, same units; null when either is null. */
  absolute: CardiacIndexErrors;
} {
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
  /** Subject id (`meta.subject`). */
  subject: string;
  /** The subject's end-diastolic case (`meta.frame` 'ED'). */
  ed: Case;
  /** The subject's end-systolic case (`meta.frame` 'ES'). */
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
