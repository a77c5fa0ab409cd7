/**
 * The five ACDC groups (Bernard et al., "Deep learning techniques for automatic MRI cardiac multi-structures
 * segmentation and diagnosis", IEEE TMI 37(11), 2018): NOR normal, DCM dilated cardiomyopathy (LV EF < 40 %,
 * dilated LV), HCM hypertrophic cardiomyopathy (wall ≥ 15 mm, normal or high EF), MINF previous myocardial
 * infarction (EF < 40 %, regional wall thinning and akinesia), ARV abnormal right ventricle (dilated RV, RV EF < 40 %).
 * Each group is a table of parameter ranges (drawn uniformly per subject) and the clinical ranges the voxelised
 * truth must land in (checked by the tests over many subjects).
 */

export type CardiacGroup = 'NOR' | 'DCM' | 'HCM' | 'MINF' | 'ARV';

/** The five ACDC groups, in ACDC's order. */
export const CARDIAC_GROUPS: readonly CardiacGroup[] = ['NOR', 'DCM', 'HCM', 'MINF', 'ARV'];

/** [low, high] of a uniform draw. */
export type Range = readonly [number, number];

/**
 * One group's parameter ranges (each drawn uniformly per subject) and the clinical ranges its voxelised truth must land
 * in.
 */
export interface CardiacGroupSpec {
  /** LV endocardial radius at the base at end-diastole, mm. */
  lvRadius: Range;
  /** LV cavity long semi-axis (cavity apex to base) at end-diastole, mm. */
  lvLength: Range;
  /** LV wall thickness at the base at end-diastole, mm. */
  wall: Range;
  /** Thickness of the apical cap at end-diastole, mm. */
  apexWall: Range;
  /** Endocardial radius at end-systole over end-diastole (remote myocardium). */
  radialRatio: Range;
  /** LV long axis at end-systole over end-diastole (base descent). */
  longRatio: Range;
  /** Regional wall-thickness factor in the affected sector (1 = none; < 1 infarct thinning; > 1 septal hypertrophy). */
  regionalThickness: Range;
  /** Fraction of normal radial motion kept in the affected sector (1 = normal; ≈ 0 akinetic). */
  regionalMotion: Range;
  /** RV free-wall distance beyond the LV epicardium at the base at end-diastole, mm. */
  rvDepth: Range;
  /** RV half-width across the septum at the base at end-diastole, mm. */
  rvWidth: Range;
  /** RV length as a fraction of the LV length (the RV stops short of the apex). */
  rvLength: Range;
  /** RV depth at end-systole over end-diastole (free wall moving toward the septum). */
  rvDepthRatio: Range;
  /** RV half-width at end-systole over end-diastole. */
  rvWidthRatio: Range;
  /** Where the sector centre sits: the septum (facing the RV) or the free wall opposite. */
  regionalSite: 'septum' | 'free-wall';
  /** Clinical ranges of the voxelised truth: LV ejection fraction, %. */
  lvEf: Range;
  /** RV ejection fraction, %. */
  rvEf: Range;
  /** LV end-diastolic volume, mL. */
  lvEdv: Range;
  /** RV end-diastolic volume, mL. */
  rvEdv: Range;
}

const normalRv = {
  rvDepth: [17, 22],
  rvWidth: [42, 48],
  rvLength: [0.72, 0.82],
  rvDepthRatio: [0.58, 0.68],
  rvWidthRatio: [0.86, 0.92],
} as const;

/** Parameter and clinical ranges of each ACDC group. */
export const CARDIAC_GROUP_SPECS: Readonly<Record<CardiacGroup, CardiacGroupSpec>> = {
  NOR: {
    lvRadius: [25, 28.5],
    lvLength: [64, 76],
    wall: [7.5, 9.5],
    apexWall: [6, 8],
    radialRatio: [0.6, 0.68],
    longRatio: [0.86, 0.9],
    regionalThickness: [1, 1],
    regionalMotion: [1, 1],
    regionalSite: 'septum',
    ...normalRv,
    lvEf: [50, 75],
    rvEf: [40, 80],
    lvEdv: [80, 180],
    rvEdv: [45, 220],
  },
  DCM: {
    lvRadius: [32, 36],
    lvLength: [76, 86],
    wall: [6, 7.5],
    apexWall: [5, 6.5],
    radialRatio: [0.86, 0.92],
    longRatio: [0.94, 0.97],
    regionalThickness: [1, 1],
    regionalMotion: [1, 1],
    regionalSite: 'septum',
    ...normalRv,
    lvEf: [10, 40],
    rvEf: [40, 80],
    lvEdv: [170, 360],
    rvEdv: [45, 220],
  },
  HCM: {
    lvRadius: [21, 24.5],
    lvLength: [56, 68],
    wall: [14, 18],
    apexWall: [10, 13],
    radialRatio: [0.46, 0.56],
    longRatio: [0.84, 0.88],
    regionalThickness: [1.2, 1.35],
    regionalMotion: [1, 1],
    regionalSite: 'septum',
    ...normalRv,
    lvEf: [60, 90],
    rvEf: [40, 80],
    lvEdv: [45, 130],
    rvEdv: [45, 220],
  },
  MINF: {
    lvRadius: [29, 33],
    lvLength: [70, 82],
    wall: [7.5, 9],
    apexWall: [5, 7],
    radialRatio: [0.81, 0.86],
    longRatio: [0.95, 0.97],
    regionalThickness: [0.4, 0.55],
    regionalMotion: [0, 0.15],
    regionalSite: 'free-wall',
    ...normalRv,
    lvEf: [15, 40],
    rvEf: [40, 80],
    lvEdv: [120, 280],
    rvEdv: [45, 220],
  },
  ARV: {
    lvRadius: [23.5, 27],
    lvLength: [62, 74],
    wall: [7, 9],
    apexWall: [6, 8],
    radialRatio: [0.6, 0.68],
    longRatio: [0.87, 0.91],
    regionalThickness: [1, 1],
    regionalMotion: [1, 1],
    regionalSite: 'septum',
    rvDepth: [30, 36],
    rvWidth: [52, 58],
    rvLength: [0.85, 0.95],
    rvDepthRatio: [0.92, 0.97],
    rvWidthRatio: [0.98, 1],
    lvEf: [45, 75],
    rvEf: [10, 40],
    lvEdv: [70, 170],
    rvEdv: [150, 420],
  },
};
