/** SR2L_PROFILE=1: replayed kernels and fused loops are attributed to their plan step. */
import { afterEach, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { instrument, profileRows, resetProfile } from '../../../src/kernels/profile.js';

afterEach(() => {
  delete process.env.SR2L_PROFILE;
  resetProfile();
});

it('replays time each step under "<name> #<step> ← <call site>", fused loops included', () => {
  const backend = instrument(new sr.CpuBackend());
  process.env.SR2L_PROFILE = '1';
  const f = sr.compile((x: Tensor) => x.mul(2).add(1).sum(), { name: 'prof', fuse: true });
  const x = sr.rng(1).randn([16], { backend });
  f(x); // the trace: attributed by call stack
  resetProfile();
  for (let i = 0; i < 3; i++) f(x);
  const rows = profileRows();
  const fused = rows.find((r) => r.kernel === 'fused[mul → add]');
  expect(fused?.calls).toBe(3);
  expect(fused?.site).toMatch(/^prof #0 ← .*profile\.test\.ts:\d+$/);
  const reduce = rows.find((r) => r.kernel === 'reduce');
  expect(reduce?.calls).toBe(3);
  expect(reduce?.site).toMatch(/^prof #1 ← /);
});
