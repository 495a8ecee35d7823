/**
 * A population of three MLPs 17→64→64→6 (StackedMLP, one stackedLinear dispatch per
 * layer) on WebGPU against the CPU backend: the summed per-member losses, every stacked
 * gradient and a Hessian-vector product (TRPO's Fisher products for all members at once)
 * agree within 1e-4 relative (‖gpu − cpu‖₂ / ‖cpu‖₂), as the single MLP's do.
 */
import { afterAll, describe, expect, test } from 'vitest';
import * as sr from '../../../src/index.js';
import { StackedMLP } from '../../../src/nn/index.js';
import { acquireWebGPU, suiteTitle } from './acquire.js';
import { relErr } from './rel-err.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

const S = 3;
const B = 32;
const SIZES = [17, 64, 64, 6];
const REL = 1e-4;

function setup(backend: sr.Backend): {
  params: sr.Tensor[];
  net: StackedMLP;
  x: sr.Tensor;
  y: sr.Tensor;
  vs: sr.Tensor[];
} {
  const net = StackedMLP.seeded(SIZES, { hidden: 'tanh', backend }, [0, 1, 2]);
  const g = sr.rng(7);
  const x = g.randn([S, B, SIZES[0]!], { backend });
  const y = g.randn([S, B, SIZES[3]!], { backend });
  const vs = net.parameters().map((p) => g.randn(p.shape, { backend }));
  return { params: net.parameters(), net, x, y, vs };
}

/** Σ over members of each member's mean squared error, with the parameters passed in. */
function loss(net: StackedMLP, ps: readonly sr.Tensor[], x: sr.Tensor, y: sr.Tensor): sr.Tensor {
  let h = x;
  [...net.layers].forEach((l, i) => (h = sr.stackedLinear(h, ps[2 * i]!, ps[2 * i + 1]!, l.activation)));
  return h.sub(y).square().mean([1, 2]).sum();
}

describe.skipIf(!gpu)(
  suiteTitle('A stacked population of 3 MLPs on WebGPU matches the CPU backend', acquired),
  () => {
    const onCpu = setup(sr.cpuBackend);
    const onGpu = gpu ? setup(gpu) : onCpu;

    test('loss and every stacked gradient', async () => {
      const grads = (d: typeof onCpu): [sr.Tensor, sr.Tensor[]] => {
        const l = loss(d.net, d.params, d.x, d.y);
        return [
          l,
          sr.grad(
            (...ps: sr.Tensor[]) => loss(d.net, ps, d.x, d.y),
            d.params.map((_, i) => i),
          )(...d.params) as sr.Tensor[],
        ];
      };
      const [lc, gc] = grads(onCpu);
      const [lg, gg] = grads(onGpu);
      expect(lc.item()).toBeGreaterThan(0.1);
      expect(await relErr(lg, lc)).toBeLessThan(REL);
      for (let i = 0; i < gc.length; i++)
        expect(await relErr(gg[i]!, gc[i]!), `gradient ${i}`).toBeLessThan(REL);
    });

    test('Hessian-vector product through the stacked layers', async () => {
      const hv = (d: typeof onCpu): sr.Tensor[] =>
        sr.hvp((...ps) => loss(d.net, ps, d.x, d.y), d.params, d.vs);
      const hc = hv(onCpu);
      const hg = hv(onGpu);
      for (let i = 0; i < hc.length; i++) expect(await relErr(hg[i]!, hc[i]!), `Hv ${i}`).toBeLessThan(REL);
    });
  },
);
