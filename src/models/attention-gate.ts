/**
 * The additive attention gate of Attention U-Net (Oktay et al. 2018, eq. 1–2): with skip features x and a gating
 * signal g at the same resolution (here the decoder's up-sampled features, as in common re-implementations),
 * α = σ(ψᵀ(ReLU(W_xᵀx + W_gᵀg + b_g)) + b_ψ) and the gate returns x·α, α broadcast over channels.
 * W_x, W_g and ψ are 1×1 convolutions; ψ is followed by normalisation as in the authors' code.
 */
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { convLayer } from '../nn/index.ts';
import { cube, normLayer, type BlockContext } from './blocks.ts';

/** Gates `skip` [N, Cx, …] by gating signal `gate` [N, Cg, …] through `inter` intermediate channels. */
export function attentionGate(name: string, skip: Value, gate: Value, inter: number, ctx: BlockContext): Value {
  const one = cube(1, skip.rank - 2);
  const wx = convLayer(`${name}.wx`, skip, { outChannels: inter, kernel: one, bias: false });
  const wg = convLayer(`${name}.wg`, gate, { outChannels: inter, kernel: one });
  const psi = convLayer(`${name}.psi`, F.relu(F.add(wx, wg)), { outChannels: 1, kernel: one });
  const alpha = F.sigmoid(normLayer(`${name}.psi_norm`, psi, ctx));
  return F.mul(skip, alpha);
}
