/** The registry of built-in operators, filled here explicitly (no registration by import side effects). */
import { activationOps } from './activation.ts';
import { convOps } from './conv.ts';
import { elementwiseOps } from './elementwise.ts';
import { layoutOps } from './layout.ts';
import { linearOps } from './linear.ts';
import { normOps } from './norm.ts';
import { poolOps } from './pool.ts';
import { reduceOps } from './reduce.ts';
import { resizeOps } from './resize.ts';
import type { OpDef } from './types.ts';

let registry: ReadonlyMap<string, OpDef> | null = null;

/** Every built-in operator by name. */
export function builtinOps(): ReadonlyMap<string, OpDef> {
  if (registry === null) {
    const all = [
      ...elementwiseOps,
      ...activationOps,
      ...linearOps,
      ...convOps,
      ...poolOps,
      ...resizeOps,
      ...layoutOps,
      ...reduceOps,
      ...normOps,
    ];
    registry = new Map(all.map((op) => [op.name, op]));
  }
  return registry;
}
