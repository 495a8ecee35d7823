/**
 * Compiled replay on WebGPU: the same dispatches into planned buffers. A training step
 * (forward, backward, Adam), a hoisted Hessian-vector product and a PGD with generator
 * draws replay equal to eager WebGPU bit for bit. Skips loudly without an adapter; fails instead under REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { MLP } from '../../../src/nn/index.js';
import { meanSquareHvp, mlpTrainer } from './trainer.js';
import { pgdMaximize } from '../../../src/rl/smoothness/index.js';
import { acquireWebGPU, suiteTitle } from '../../kernels/webgpu/acquire.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

const bits = async (t: Tensor): Promise<number[]> => Array.from(await t.data());

describe.skipIf(!gpu)(suiteTitle('compile on WebGPU', acquired), () => {
  const backend = gpu!;
  const make = () => mlpTrainer(3, backend);

  it('5 training steps: compiled equals eager bit for bit', async () => {
    const eager = make();
    const comp = make();
    const step = sr.compile(comp.step);
    const g = sr.rng(1);
    for (let i = 0; i < 5; i++) {
      const x = g.randn([32, 5], { backend });
      const y = g.randn([32, 3], { backend });
      expect(await bits(step(x, y))).toEqual(await bits(eager.step(x, y)));
    }
    expect(step.replays).toBe(4);
    const pe = eager.net.parameters();
    const pc = comp.net.parameters();
    for (let i = 0; i < pe.length; i++) expect(await bits(pc[i]!)).toEqual(await bits(pe[i]!));
  });

  it('a hoisted Hessian-vector product equals eager bit for bit, at a new point and a new shape', async () => {
    const { params, hv } = meanSquareHvp({ backend });
    const compiled = sr.compile(hv, { hoist: [0], outputs: 'reuse' });
    const g = sr.rng(2);
    for (const rows of [32, 32, 16]) {
      const x = g.randn([rows, 5], { backend });
      for (let i = 0; i < 3; i++) {
        const v = params.map((p) => g.randn(p.shape, { backend }));
        const want = await Promise.all(hv(x, v).map(bits));
        expect(await Promise.all(compiled(x, v).map(bits))).toEqual(want);
      }
    }
    expect([compiled.traces, compiled.replays]).toEqual([2, 7]);
  });

  it('a PGD with a random start: compiled equals eager, the generator stream included', async () => {
    const net = new MLP([11, 32, 3], { hidden: 'tanh', rng: 4, backend });
    const div = (s: Tensor, p: Tensor): Tensor => net.forward(s).sub(net.forward(p)).square().sum(1);
    const pgd = (gen: sr.Generator) => (s: Tensor) =>
      pgdMaximize(s, div, { eps: 0.1, steps: 5, generator: gen }).delta;
    const ge = sr.rng(5);
    const gc = sr.rng(5);
    const eager = pgd(ge);
    const compiled = sr.compile(pgd(gc));
    const s = sr.rng(6).randn([16, 11], { backend });
    for (let i = 0; i < 3; i++) expect(await bits(compiled(s))).toEqual(await bits(eager(s)));
    expect(compiled.replays).toBe(2);
    expect(gc.getState()).toEqual(ge.getState());
  });

  it('fused WGSL: the PGD takes fewer dispatches and stays within float32 rounding of eager', async () => {
    const net = new MLP([11, 32, 3], { hidden: 'tanh', rng: 4, backend });
    const div = (s: Tensor, p: Tensor): Tensor => net.forward(s).sub(net.forward(p)).square().sum(1);
    const pgd = (gen: sr.Generator) => (s: Tensor) =>
      pgdMaximize(s, div, { eps: 0.1, steps: 5, generator: gen }).divergence;
    const eager = pgd(sr.rng(5));
    const plain = sr.compile(pgd(sr.rng(5)));
    const fused = sr.compile(pgd(sr.rng(5)), { fuse: true });
    const s = sr.rng(6).randn([16, 11], { backend });
    const counted = async (f: () => Tensor): Promise<[number, Float32Array]> => {
      await backend.sync();
      const d0 = backend.stats().dispatches;
      const out = f();
      await backend.sync();
      const n = backend.stats().dispatches - d0;
      return [n, (await out.data()) as Float32Array];
    };
    for (let call = 0; call < 3; call++) {
      // the same draw for all three on each call: the generators advance alike
      const [, want] = await counted(() => eager(s));
      const [nPlain] = await counted(() => plain(s));
      const [nFused, got] = await counted(() => fused(s));
      if (call > 0) expect(nFused).toBeLessThan(nPlain);
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(want[i]!) + 1e-7);
    }
    expect(fused.explain()).toMatch(/fused\[sign → mul → add → maximum → minimum/);
  });
});
