/** The benchmark workloads on sr2l's CPU backend: leaf parameters, fused linear layers. */
import * as sr from '../../src/index.js';
import { fillDeterministic, LAYERS, PGD, weightScale } from './sizes.js';

type Tensor = sr.Tensor;

function params(): Tensor[] {
  const ps: Tensor[] = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    const i = LAYERS[l]!;
    const o = LAYERS[l + 1]!;
    ps.push(
      sr.tensor(fillDeterministic(i * o, 11 + l, weightScale(i, o)), { shape: [i, o], requiresGrad: true }),
    );
    ps.push(sr.tensor(fillDeterministic(o, 101 + l, 0.1), { shape: [o], requiresGrad: true }));
  }
  return ps;
}

function forward(ps: readonly Tensor[], x: Tensor): Tensor {
  let h = x;
  const last = ps.length / 2 - 1;
  for (let l = 0; l <= last; l++) h = sr.linear(h, ps[2 * l]!, ps[2 * l + 1]!, l < last ? 'tanh' : 'none');
  return h;
}

function input(batch: number, seed: number): Tensor {
  return sr.tensor(fillDeterministic(batch * LAYERS[0], seed, 1), { shape: [batch, LAYERS[0]] });
}

/** Forward + backward of mean(y²) into every parameter's .grad. */
export function trainStep(batch: number): () => void {
  const ps = params();
  const x = input(batch, 7);
  return () => {
    for (const p of ps) p.zeroGrad();
    sr.mean(sr.square(forward(ps, x))).backward();
  };
}

/** A 1-element add whose operand requires a gradient (graph recording included). */
export function tinyOp(): () => void {
  const a = sr.tensor([1], { requiresGrad: true });
  const b = sr.tensor([2]);
  return () => {
    sr.add(a, b);
  };
}

/** Projected gradient ascent on an input perturbation δ: maximize ‖f(x+δ) − f(x)‖², ‖δ‖∞ ≤ eps. */
export function pgd(): () => void {
  const ps = params();
  const x = input(PGD.batch, 9);
  const y0 = sr.noGrad(() => forward(ps, x));
  const gradDelta = sr.grad((d: Tensor) => sr.mean(sr.square(sr.sub(forward(ps, sr.add(x, d)), y0))));
  return () => {
    let d = sr.zeros([PGD.batch, LAYERS[0]]);
    for (let s = 0; s < PGD.steps; s++) {
      const g = gradDelta(d) as Tensor;
      d = sr.noGrad(() => sr.clamp(sr.add(d, sr.mul(sr.sign(g), PGD.alpha)), -PGD.eps, PGD.eps));
    }
  };
}
