import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/util/rng.js';

describe('Rng', () => {
  test('same seed gives the same stream; known first values pin the algorithm', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    // Pinned values: a change of algorithm or seeding (which would break cross-machine
    // reproducibility of every run) fails here.
    expect(xs).toMatchSnapshot();
  });

  test('different seeds differ', () => {
    expect(new Rng(1).random()).not.toBe(new Rng(2).random());
  });

  test('uniform and normal moments', () => {
    const r = new Rng(7);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // 5-sigma bounds for the sample means.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  test('state round trip continues the stream exactly', () => {
    const r = new Rng(3);
    r.normal(); // leaves a spare normal cached
    const st = r.getState();
    const next = [r.normal(), r.random(), r.normal()];
    const r2 = Rng.fromState(JSON.parse(JSON.stringify(st)));
    expect([r2.normal(), r2.random(), r2.normal()]).toEqual(next);
  });

  test('int is unbiased within bounds and forks are independent', () => {
    const r = new Rng(9);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[r.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const f1 = new Rng(5).fork('env');
    const f2 = new Rng(5).fork('policy');
    expect(f1.nextUint32()).not.toBe(f2.nextUint32());
  });

  test('bad seeds and states are rejected with a clear message', () => {
    expect(() => new Rng(-1)).toThrow(/seed must be an integer/);
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer/);
    expect(() => new Rng(0).setState({ s: [0, 0, 0, 0], spare: null })).toThrow(/all-zero/);
  });
});
