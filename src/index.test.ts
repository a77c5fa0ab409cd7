import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API', () => {
  it('exports exactly the names in the snapshot (a change here is a change of the public surface)', () => {
    expect(Object.keys(api).sort()).toMatchSnapshot();
  });

  it('exposes the neural engine as the `nn` namespace', () => {
    expect(typeof api.nn.Graph).toBe('function');
  });
});
