/**
 * Elementwise fusion (fuse.ts): runs of elementwise ops become one generated loop; values
 * used after the run are stored, the rest stay in registers; float32 results equal the
 * unfused program bit for bit except through tanh (SIMD polynomial unfused, Math.tanh
 * fused), which stays within the documented 4 float32 ulps; float64 is exact.
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

  it('through tanh: within 4 float32 ulps of the unfused (SIMD) program', () => {
    const f = (x: Tensor, g: Tensor) => x.tanh().mul(g).add(x.mul(0.5));
    const fused = sr.compile(f, { fuse: true });
    const plain = sr.compile(f);
    const x = sr.rng(3).randn([64, 64], { std: 2 });
    const g = sr.rng(4).randn([64, 64]);
    const a = fused(x, g).dataSync();
    const b = plain(x, g).dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) {
      const ulp = Math.max(Math.abs(b[i]!) * 2 ** -23, 2 ** -126);
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / ulp);
    }
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('on the CPU, runs over more than 4096 elements stay unfused (SIMD kernels are as fast there)', () => {
    const big = sr.compile(pgdStep, { fuse: true });
    const d = sr.rng(7).uniform([100, 41], -0.1, 0.1);
    const g = sr.rng(8).randn([100, 41]);
    big(d, g);
    expect(big.explain()).not.toMatch(/fused\[/);
    expect(bits(big(d, g))).toEqual(bits(pgdStep(d, g)));
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
