/**
 * Elementwise fusion (fuse.ts): runs of elementwise ops become one generated loop; values
 * used after the run are stored, the rest stay in registers; float32 results equal the
 * unfused program bit for bit, tanh included (the generated SIMD function uses the SIMD
 * kernel's polynomial); float64 is exact.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';

const bits = (t: Tensor): number[] => Array.from(t.dataSync());

/** One PGD ascent step, the clamp included: sign, mul, add, maximum, minimum. */
const pgdStep = (d: Tensor, g: Tensor): Tensor => d.add(g.sign().mul(0.02)).clamp(-0.1, 0.1);

describe('compile: elementwise fusion', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: a PGD step is one loop and equals the unfused program bit for bit`, () => {
      const fused = sr.compile(pgdStep, { fuse: true, name: 'pgd step' });
      const plain = sr.compile(pgdStep);
      for (let i = 0; i < 3; i++) {
        const g = sr.rng(i);
        const d = g.uniform([64, 17], -0.1, 0.1, { dtype });
        const grad = g.randn([64, 17], { dtype });
        expect(bits(fused(d, grad))).toEqual(bits(plain(d, grad)));
        expect(bits(fused(d, grad))).toEqual(bits(pgdStep(d, grad)));
      }
      expect(fused.explain()).toMatch(
        /fused\[sign → mul → add → maximum → minimum\]\(in1, const0, in0, const1, const2\) → b\d+/,
      );
      expect(fused.explain()).toMatch(/5 elementwise ops fused into 1 loops/);
    });
  }

  it('values needed after the run are stored; the others are not', () => {
    // u is used by the reduction after the run, v only inside it
    const f = (x: Tensor) => {
      const u = x.mul(3);
      const v = u.add(1).square();
      return { total: u.sum(), v };
    };
    const fused = sr.compile(f, { fuse: true });
    const x = sr.rng(2).randn([33]);
    fused(x);
    const r = fused(x);
    const e = f(x);
    expect(bits(r.total)).toEqual(bits(e.total));
    expect(bits(r.v)).toEqual(bits(e.v));
    const line = fused
      .explain()
      .split('\n')
      .find((l) => l.includes('fused['))!;
    expect(line).toMatch(/fused\[mul → add → square\]\(in0, const0, const1\) → b\d+, b\d+ float32×33/);
  });

  it('through tanh: equal to the unfused program bit for bit (SIMD polynomial in the arena, Math.tanh on the heap)', () => {
    const f = (x: Tensor, g: Tensor) => x.tanh().mul(g).add(x.mul(0.5));
    const fused = sr.compile(f, { fuse: true });
    const plain = sr.compile(f);
    for (const shape of [
      [64, 64],
      [5, 3],
    ]) {
      const x = sr.rng(3).randn(shape, { std: 2 });
      const g = sr.rng(4).randn(shape);
      expect(bits(fused(x, g))).toEqual(bits(plain(x, g)));
      expect(bits(fused(x, g))).toEqual(bits(f(x, g)));
    }
    expect(fused.explain()).toMatch(/fused\[tanh → mul → mul → add\]/);
  });

  it('on the CPU, large runs fuse when every op has a SIMD function, and stay unfused through exp', () => {
    const d = sr.rng(7).uniform([100, 41], -0.1, 0.1);
    const g = sr.rng(8).randn([100, 41]);
    const big = sr.compile(pgdStep, { fuse: true });
    big(d, g);
    expect(big.explain()).toMatch(/fused\[sign → mul → add → maximum → minimum\]/);
    expect(bits(big(d, g))).toEqual(bits(pgdStep(d, g)));
    const withExp = (x: Tensor) => x.mul(2).exp().add(1);
    const loop = sr.compile(withExp, { fuse: true });
    loop(g);
    expect(loop.explain()).not.toMatch(/fused\[/);
    expect(bits(loop(g))).toEqual(bits(withExp(g)));
    // at most 4096 elements the JavaScript loop still pays
    const small = sr.compile(withExp, { fuse: true });
    const s = sr.rng(9).randn([64, 64]);
    small(s);
    expect(small.explain()).toMatch(/fused\[mul → exp → add\]/);
    expect(bits(small(s))).toEqual(bits(withExp(s)));
  });

  it('broadcasting other than scalars is left unfused', () => {
    const f = (x: Tensor, row: Tensor) => x.add(row).mul(2).exp();
    const fused = sr.compile(f, { fuse: true });
    const x = sr.rng(5).randn([8, 4]);
    const row = sr.rng(6).randn([4]);
    fused(x, row);
    expect(bits(fused(x, row))).toEqual(bits(f(x, row)));
    expect(fused.explain()).toMatch(/binary\(add, in0, \[8, 4\], in1, \[4\], \[8, 4\]\)/);
    expect(fused.explain()).toMatch(/fused\[mul → exp\]/);
  });
});
