/**
 * The engine's seeded random numbers: the project's xoshiro128** generator (random/rng.ts) with Box–Muller
 * normals. Each parameter gets its own stream from (seed, name), so adding a layer does not change
 * the initial weights of the others.
 */
import { Rng } from '../random/index.ts';

/** The project's `Rng` with the engine's own normal transform (Box–Muller, pairs cached); seeded as `Rng`. */
export class Prng extends Rng {
  private gaussianSpare: number | null = null;

  /** Standard normal (Box–Muller; the engine's initial weights are pinned to this transform). */
  override normal(): number {
    if (this.gaussianSpare !== null) {
      const s = this.gaussianSpare;
      this.gaussianSpare = null;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.gaussianSpare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** A 32-bit seed derived from a base seed and a name (FNV-1a over the name, mixed with the seed). */
export function deriveSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
