/**
 * Point classification of the beating heart: which tissue lies at in-plane position (x, y) mm of the level
 * `u` mm above the epicardial apex, at contraction c. `setTime` and `setLevel` precompute everything that does not
 * depend on (x, y), so `classify` is a few multiplications, one square root and one exponential — it runs once per
 * sub-voxel sample. Geometry as in `cardiac-anatomy.ts`; above the base plane the cavities continue as atria
 * (bright blood, background in the truth), which is what makes the basal end-systolic slice ambiguous.
 */
import type { CardiacAnatomy } from './cardiac-anatomy.ts';

/** Tissue classes of the rendered heart. */
export const TISSUE = {
  /** Outside the heart; truth label 0. */
  background: 0,
  /** Right-ventricular blood pool; truth label 1 (RV). */
  rv: 1,
  /** Left-ventricular myocardium; truth label 2 (MYO). */
  myo: 2,
  /** Left-ventricular blood pool; truth label 3 (LV). */
  lv: 3,
  /** Papillary muscles inside the LV cavity: dark like muscle, truth label 3 (LV). */
  papillary: 4,
  /** RV free wall (3 mm) and the atrial walls; background in the truth. */
  rvWall: 5,
  /** Atrial blood above the base plane: bright, background in the truth. */
  atrium: 6,
  /** Epicardial fat: bright, background in the truth. */
  fat: 7,
} as const;

/** Truth label of each tissue class (ACDC: 1 RV, 2 MYO, 3 LV; papillary muscles belong to the LV cavity). */
export const TISSUE_LABEL = Uint8Array.of(0, 1, 2, 3, 3, 0, 0, 0);

/** Tissue intensity before the vendor's contrast curve (bSSFP: bright blood, dark muscle, bright fat). */
export const TISSUE_INTENSITY = Float32Array.of(0, 0.93, 0.2, 1, 0.24, 0.24, 0.88, 0.8);

const RV_WALL_MM = 3;
const ATRIUM_HEIGHT_MM = 40;
const PAPILLARY_RADIUS = 0.14; // of the endocardial radius

/** Tissue at points of one subject's beating heart: `setTime`, then `setLevel`, then `classify` per in-plane point. */
export class CardiacScene {
  private readonly a: CardiacAnatomy;
  private readonly ex: number;
  private readonly ey: number;
  private readonly rc: number;
  private readonly rs: number;
  private readonly fc: number;
  private readonly fs: number;
  private readonly regional: boolean;
  private readonly a2: number;
  private readonly b2: number;
  private readonly a3: number;
  private readonly b3: number;
  private readonly a4: number;
  private readonly b4: number;
  private readonly p1c: number;
  private readonly p1s: number;
  private readonly p2c: number;
  private readonly p2s: number;
  // time
  private c = 0;
  private lScale = 1;
  private radialLoss = 0;
  private baseU = 0;
  private epiLength = 0;
  private endoLength = 0;
  private rvDepthT = 0;
  private rvWidthT = 0;
  // level
  private mode = 0; // 0 ventricles, 1 atria, 2 nothing
  private cx = 0;
  private cy = 0;
  private rhoEndo = 0;
  private rhoEndoEd = 0;
  private rhoEpi = 0;
  private rvA = 0;
  private rvB = 0;
  private rvD = 0;
  private papillary = false;
  private p1x = 0;
  private p1y = 0;
  private p2x = 0;
  private p2y = 0;
  private pr2 = 0;
  private reach2 = 0;
  private lastEndo = 0;
  /**
   * Precomputes the anatomy's direction cosines and sets the time to end-diastole (contraction 0); call `setLevel`
   * before `classify`.
   */
  constructor(anatomy: CardiacAnatomy) {
    this.a = anatomy;
    this.ex = Math.cos(anatomy.rvAngle);
    this.ey = Math.sin(anatomy.rvAngle);
    this.rc = Math.cos(anatomy.regionalAngle);
    this.rs = Math.sin(anatomy.regionalAngle);
    this.fc = Math.cos(anatomy.fatAngle);
    this.fs = Math.sin(anatomy.fatAngle);
    this.regional = anatomy.regionalThickness !== 1 || anatomy.regionalMotion !== 1;
    [this.a2, this.b2, this.a3, this.b3, this.a4, this.b4] = anatomy.shapeModes;
    this.p1c = Math.cos(anatomy.papillaryAngles[0]);
    this.p1s = Math.sin(anatomy.papillaryAngles[0]);
    this.p2c = Math.cos(anatomy.papillaryAngles[1]);
    this.p2s = Math.sin(anatomy.papillaryAngles[1]);
    this.setTime(0);
  }

  /** Height of the end-diastolic base plane above the epicardial apex (mm). */
  get baseHeightEd(): number {
    return this.a.lvLength + this.a.apexWall;
  }

  /** Bounding radius of everything cardiac around the LV axis (mm). */
  get boundingRadius(): number {
    const a = this.a;
    return (
      a.lvRadius * 1.2 + a.wall * Math.max(1, a.regionalThickness) * 1.2 + a.rvDepth + RV_WALL_MM + a.fatThickness + 6
    );
  }

  /** Sets the contraction (0 end-diastole … 1 end-systole). */
  setTime(c: number): void {
    const a = this.a;
    this.c = c;
    this.lScale = 1 - c * (1 - a.longRatio);
    this.radialLoss = c * (1 - a.radialRatio);
    this.endoLength = a.lvLength * this.lScale;
    this.epiLength = this.endoLength + a.apexWall * (1 + 0.25 * c);
    this.baseU = this.epiLength;
    this.rvDepthT = a.rvDepth * (1 - c * (1 - a.rvDepthRatio));
    this.rvWidthT = a.rvWidth * (1 - c * (1 - a.rvWidthRatio));
  }

  /** Sets the level: `u` mm above the end-diastolic epicardial apex (the apex does not move). */
  setLevel(u: number): void {
    const a = this.a;
    const depthBelowEdBase = this.baseHeightEd - u;
    this.cx = a.centre[0] + a.tilt[0] * depthBelowEdBase;
    this.cy = a.centre[1] + a.tilt[1] * depthBelowEdBase;
    const zeta = (this.baseU - u) / this.epiLength; // 0 at the base, 1 at the apex
    if (zeta < 0) {
      this.mode = -zeta * this.epiLength < ATRIUM_HEIGHT_MM ? 1 : 2;
      this.setRv(1, a.lvRadius + a.wall);
      return;
    }
    if (zeta > 1) {
      this.mode = 2;
      return;
    }
    this.mode = 0;
    this.rhoEpi = Math.sqrt(1 - zeta * zeta);
    const dEndo = (this.baseU - u) / this.endoLength;
    this.rhoEndo = dEndo < 1 ? Math.sqrt(1 - dEndo * dEndo) : 0;
    const dEndoEd = (zeta * (a.lvLength + a.apexWall)) / a.lvLength;
    this.rhoEndoEd = dEndoEd < 1 ? Math.sqrt(1 - dEndoEd * dEndoEd) : 0;
    this.papillary = zeta > 0.2 && zeta < 0.7;
    const meanEndo = a.lvRadius * (1 - this.radialLoss) * this.rhoEndo;
    const at = 0.72 * meanEndo;
    const rad = PAPILLARY_RADIUS * meanEndo * (1 + 0.4 * this.c);
    this.p1x = at * this.p1c;
    this.p1y = at * this.p1s;
    this.p2x = at * this.p2c;
    this.p2y = at * this.p2s;
    this.pr2 = rad * rad;
    const zRv = zeta / a.rvLength;
    const rhoRv = zRv < 1 ? Math.sqrt(1 - zRv * zRv) : 0;
    this.setRv(rhoRv, Math.sqrt(this.epiSquared(this.ex, this.ey)));
  }

  /** Radius around the LV axis beyond which the current level holds only background (mm). */
  get reach(): number {
    return Math.sqrt(this.reach2);
  }

  /**
   * The RV cavity is the part outside the LV epicardium of an ellipse whose far end lies `rvDepth`·rho beyond the
   * epicardium: its centre sits just off the LV axis, so its border meets the epicardium on both sides and the
   * cavity is a crescent whose horns wrap the septum.
   */
  private setRv(rho: number, epiAlongRv: number): void {
    const a = this.a;
    const depth = this.rvDepthT * rho;
    this.rvA = rho > 0 ? epiAlongRv + 0.3 * depth : 0;
    this.rvD = epiAlongRv + depth - this.rvA;
    this.rvB = (this.rvA * this.rvWidthT) / (a.lvRadius + a.wall + 0.3 * a.rvDepth);
    const lv =
      (a.lvRadius * 1.15 + a.wall * Math.max(1, a.regionalThickness) * 1.15) * (this.mode === 0 ? this.rhoEpi : 1) +
      a.fatThickness;
    const reach = Math.max(lv, this.rvD + Math.max(this.rvA, this.rvB) + RV_WALL_MM) + 1;
    this.reach2 = reach * reach;
  }

  /** Squared epicardial radius in direction (cos θ, sin θ) at the current time and level (mm²). */
  private epiSquared(cs: number, sn: number): number {
    const a = this.a;
    const c2 = cs * cs - sn * sn;
    const s2 = 2 * cs * sn;
    const f =
      1 +
      this.a2 * c2 +
      this.b2 * s2 +
      this.a3 * (4 * cs * cs * cs - 3 * cs) +
      this.b3 * (3 * sn - 4 * sn * sn * sn) +
      this.a4 * (2 * c2 * c2 - 1) +
      this.b4 * 2 * s2 * c2;
    let g = 1;
    let m = 1;
    if (this.regional) {
      const bump = Math.exp(a.regionalConcentration * (cs * this.rc + sn * this.rs - 1));
      g += (a.regionalThickness - 1) * bump;
      m -= (1 - a.regionalMotion) * bump;
    }
    const rf = a.lvRadius * f;
    const endoEd = rf * this.rhoEndoEd;
    const epiEd = (rf + a.wall * g) * this.rhoEpi;
    const endo = rf * (1 - this.radialLoss * m) * this.rhoEndo;
    this.lastEndo = endo;
    return endo * endo + (epiEd * epiEd - endoEd * endoEd) / this.lScale;
  }

  /** Tissue class (`TISSUE`) at (x, y) mm in the image plane, at the current time and level. */
  classify(x: number, y: number): number {
    if (this.mode === 2) return TISSUE.background;
    const dx = x - this.cx;
    const dy = y - this.cy;
    const r2 = dx * dx + dy * dy;
    if (r2 > this.reach2) return TISSUE.background;
    const xe = dx * this.ex + dy * this.ey;
    const yp = dy * this.ex - dx * this.ey;
    if (this.mode === 1) return this.classifyAtria(xe, yp);
    const r = Math.sqrt(r2);
    const cs = r > 0 ? dx / r : 1;
    const sn = r > 0 ? dy / r : 0;
    const epi2 = this.epiSquared(cs, sn);
    const endo = this.lastEndo;
    if (r < endo) {
      if (this.papillary) {
        const q1x = dx - this.p1x;
        const q1y = dy - this.p1y;
        const q2x = dx - this.p2x;
        const q2y = dy - this.p2y;
        if (q1x * q1x + q1y * q1y < this.pr2 || q2x * q2x + q2y * q2y < this.pr2) return TISSUE.papillary;
      }
      return TISSUE.lv;
    }
    if (r2 < epi2) return TISSUE.myo;
    if (this.rvA > 0) {
      const u = (xe - this.rvD) / this.rvA;
      const v = yp / this.rvB;
      if (u * u + v * v < 1) return TISSUE.rv;
      const uw = (xe - this.rvD) / (this.rvA + RV_WALL_MM);
      const vw = yp / (this.rvB + RV_WALL_MM);
      if (uw * uw + vw * vw < 1) return TISSUE.rvWall;
    }
    const cf = cs * this.fc + sn * this.fs;
    if (cf > 0) {
      const fat = Math.sqrt(epi2) + this.a.fatThickness * cf * cf;
      if (r < fat) return TISSUE.fat;
    }
    return TISSUE.background;
  }

  /** Above the base: the left atrium behind the LV axis and the right atrium beyond the RV, each in a thin dark wall. */
  private classifyAtria(xe: number, yp: number): number {
    const la = this.a.lvRadius * 0.75 * (1 - 0.3 * this.radialLoss);
    const lx = xe + 0.25 * this.a.lvRadius;
    const l2 = lx * lx + yp * yp;
    if (l2 < la * la) return TISSUE.atrium;
    if (l2 < (la + 2.5) * (la + 2.5)) return TISSUE.rvWall;
    const ra = 0.7 * this.rvA;
    const rb = 0.6 * this.rvB;
    const u = (xe - this.rvD - 0.35 * this.rvA) / ra;
    const v = yp / rb;
    if (u * u + v * v < 1) return TISSUE.atrium;
    const uw = (xe - this.rvD - 0.35 * this.rvA) / (ra + RV_WALL_MM);
    const vw = yp / (rb + RV_WALL_MM);
    return uw * uw + vw * vw < 1 ? TISSUE.rvWall : TISSUE.background;
  }

  /** LV axis position at the current level (mm). */
  get axis(): [number, number] {
    return [this.cx, this.cy];
  }
}
