/** The 10-step PGD compiled equals the eager one bit for bit, random start included. */
import { expect, it } from 'vitest';
import * as sr from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { MLP } from '../../src/nn/index.js';
import { pgdMaximize } from '../../src/rl/smoothness/index.js';

it('10-step PGD: compiled equals eager bit for bit over 5 calls', () => {
  const net = new MLP([11, 64, 64, 3], { hidden: 'tanh', rng: 1 });
  const divergence = (s: Tensor, p: Tensor): Tensor => net.forward(s).sub(net.forward(p)).square().sum(1);
  const pgd = (g: sr.Generator) => (s: Tensor) =>
    pgdMaximize(s, divergence, { eps: 0.1, steps: 10, generator: g });
  const ge = sr.rng(3);
  const gc = sr.rng(3);
  const eager = pgd(ge);
  const compiled = sr.compile(pgd(gc));
  for (let i = 0; i < 5; i++) {
    const s = sr.rng(10 + i).randn([64, 11]);
    const a = eager(s);
    const b = compiled(s);
    expect(Array.from(b.delta.dataSync())).toEqual(Array.from(a.delta.dataSync()));
    expect(Array.from(b.divergence.dataSync())).toEqual(Array.from(a.divergence.dataSync()));
    expect(Math.max(...Array.from(b.delta.dataSync()).map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-7);
  }
  expect(compiled.replays).toBe(4);
});
