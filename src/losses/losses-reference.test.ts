/** The training losses against fixtures/nn-wave2.json (PyTorch float64): BCE with logits and GCE (q = 0.7). */
import { describe, it } from 'vitest';
import { expectMatchesReference, referenceCase } from '../../test/reference-cases.ts';
import * as F from '../nn/functional.ts';
import { binaryCrossEntropy, generalizedCrossEntropy } from './losses.ts';

describe('losses against nn-wave2.json', () => {
  it('loss_bce_logits: one foreground logit channel against the foreground indicator matches BCEWithLogitsLoss', async () => {
    // The fixture's target is [N, 1, H, W]; our targets are label maps [N, H, W].
    await expectMatchesReference(referenceCase('nn-wave2.json', 'loss_bce_logits'), (v) =>
      binaryCrossEntropy(v.logits, F.squeeze(v.target, [1])),
    );
  });

  it('loss_gce_q07: generalised cross-entropy with q = 0.7 matches the reference', async () => {
    await expectMatchesReference(referenceCase('nn-wave2.json', 'loss_gce_q07'), (v) =>
      generalizedCrossEntropy(v.logits, v.target, 0.7),
    );
  });
});
