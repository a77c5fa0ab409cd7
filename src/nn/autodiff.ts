/**
 * Reverse-mode differentiation on the graph: `grad(loss, wrt)` appends the backward pass, asking each node's
 * operator record for its vector-Jacobian product. This file only walks the graph; every rule lives with its
 * operator in `ops/`.
 */
import { MultiraterError } from '../errors.ts';
import * as F from './functional.ts';
import type { Node, Value } from './graph.ts';
import { zerosLike } from './ops/layout.ts';
import { isFloat } from './shape.ts';

/**
 * Gradients of `loss` (summed over its elements when not a scalar) with respect to each of `wrt`. A value of
 * `wrt` that does not influence the loss gets zeros. Integer values carry no gradient.
 */
export function grad(loss: Value, wrt: readonly Value[]): Value[] {
  const g = loss.graph;
  const active = new Set<Value>(wrt.filter((v) => isFloat(v.dtype)));
  const forward = g.nodes.slice();
  for (const node of forward) {
    if (node.inputs.some((v) => v !== null && active.has(v))) {
      for (const o of node.outputs) if (isFloat(o.dtype)) active.add(o);
    }
  }
  const grads = new Map<Value, Value>();
  grads.set(loss, loss.rank === 0 ? F.scalarLike(loss, 1) : F.expandLike(F.scalarLike(loss, 1), loss));
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i];
    const dOut = node.outputs.map((o) => grads.get(o) ?? null);
    if (dOut.every((d) => d === null)) continue;
    const needed = node.inputs.map((v) => v !== null && active.has(v));
    if (!needed.some(Boolean)) continue;
    const dIn = ruleOf(node)(node, dOut);
    node.inputs.forEach((v, k) => {
      const d = dIn[k];
      if (v === null || !needed[k] || d === null || d === undefined) return;
      const prev = grads.get(v);
      grads.set(v, prev === undefined ? d : F.add(prev, d));
    });
  }
  return wrt.map((w) => grads.get(w) ?? zerosLike(w));
}

function ruleOf(node: Node): NonNullable<ReturnType<Value['graph']['opDef']>['grad']> {
  const rule = node.outputs[0].graph.opDef(node.op).grad;
  if (rule === undefined)
    throw new MultiraterError('not_differentiable', `${node.op} has no gradient rule (node ${node.outputs[0].name})`);
  return rule;
}
