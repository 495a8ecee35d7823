/**
 * Whole-model parity through the autograd engine: the MLP's loss, every parameter
 * gradient, a Hessian-vector product (grad of grad) and a 10-step PGD on the input agree
 * between the CPU and WebGPU backends within 1e-4 relative (‖gpu − cpu‖₂ / ‖cpu‖₂).
 */
import { afterAll, describe, expect, test } from 'vitest';
import * as sr from '../../../src/index.js';
import { mlpLoss, mlpParams, mlpStep, pgd, MLP_SIZES } from '../../../bench/webgpu/workload.js';
import { acquireWebGPU, suiteTitle } from './acquire.js';
import { relErr } from './rel-err.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

const B = 32;
const REL = 1e-4;

function inputs(backend: sr.Backend): { x: sr.Tensor; y: sr.Tensor; delta0: sr.Tensor; vs: sr.Tensor[] } {
  const g = sr.rng(7);
  const x = g.randn([B, MLP_SIZES[0]], { backend });
  const y = g.randn([B, MLP_SIZES[3]], { backend });
  const delta0 = g.uniform([B, MLP_SIZES[0]], -0.05, 0.05, { backend });
  const vs = mlpParams(backend, 99).map((p) => p.detach());
  return { x, y, delta0, vs };
}

describe.skipIf(!gpu)(suiteTitle('MLP 17→64→64→6 on WebGPU matches the CPU backend', acquired), () => {
  const cpu = sr.cpuBackend;
  const onCpu = { params: mlpParams(cpu), ...inputs(cpu) };
  const onGpu = gpu ? { params: mlpParams(gpu), ...inputs(gpu) } : onCpu;

  test('loss and every parameter gradient', async () => {
    const [lc, gc] = mlpStep(onCpu.params, onCpu.x, onCpu.y);
    const [lg, gg] = mlpStep(onGpu.params, onGpu.x, onGpu.y);
    expect(await relErr(lg, lc)).toBeLessThan(REL);
    expect(lc.item()).toBeGreaterThan(0.1); // a non-trivial loss
    for (let i = 0; i < gc.length; i++) {
      const e = await relErr(gg[i]!, gc[i]!);
      expect(e, `gradient of ${onCpu.params[i]!.name}`).toBeLessThan(REL);
    }
  });

  test('Hessian-vector product (grad of grad through the fused linear layers)', async () => {
    const f = (p: readonly sr.Tensor[], d: typeof onCpu) => sr.hvp((...q) => mlpLoss(q, d.x, d.y), p, d.vs);
    const hc = f(onCpu.params, onCpu);
    const hg = f(onGpu.params, onGpu);
    for (let i = 0; i < hc.length; i++) {
      expect(await relErr(hg[i]!, hc[i]!), `Hv for ${onCpu.params[i]!.name}`).toBeLessThan(REL);
    }
  });

  test('10-step PGD on the input (ℓ∞ ball, sign-gradient ascent)', async () => {
    const opts = { eps: 0.1, alpha: 0.025, steps: 10 };
    const dc = pgd(onCpu.params, onCpu.x, onCpu.delta0, opts);
    const dg = pgd(onGpu.params, onGpu.x, onGpu.delta0, opts);
    expect(await relErr(dg, dc)).toBeLessThan(REL);
    // the attack moved: most coordinates end on the ball's boundary
    const d = dc.dataSync();
    const onBoundary = d.filter((v) => Math.abs(Math.abs(v) - opts.eps) < 1e-6).length;
    expect(onBoundary / d.length).toBeGreaterThan(0.5);
  });
});
