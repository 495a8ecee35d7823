/**
 * What a compiled function cannot do fails with an error naming it and where it
 * happened; gradcheck works through a function with a compiled part.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';

const x = (): Tensor => sr.rng(1).randn([4, 3]);

describe('compile: trace-time errors name the culprit', () => {
  it('item() inside the function', () => {
    const f = sr.compile((t: Tensor) => t.mul(t.sum().item()));
    expect(() => f(x())).toThrow(sr.CompileError);
    expect(() => f(x())).toThrow(/read tensor values back to JavaScript .*errors\.test\.ts:\d+/);
  });

  it('control flow that depends on tensor values', () => {
    const f = sr.compile((t: Tensor) => (t.max().dataSync()[0]! > 0 ? t.relu() : t.neg()));
    expect(() => f(x())).toThrow(/control flow that depends on tensor values/);
  });

  it('an asynchronous read (data())', () => {
    const f = sr.compile((t: Tensor) => {
      t.data().catch(() => {}); // rejected too; the trace raises it
      return t;
    });
    expect(() => f(x())).toThrow(/read tensor values back/);
  });

  it('a tensor made from JavaScript data inside the function', () => {
    const f = sr.compile((t: Tensor) => t.add(sr.tensor([1, 2, 3])));
    expect(() => f(x())).toThrow(/made from JavaScript data while tracing .*errors\.test\.ts:\d+/);
  });

  it('arguments that are neither tensors, static values nor plain containers', () => {
    const f = sr.compile((m: Map<string, Tensor>) => m.get('a')!);
    expect(() => f(new Map([['a', x()]]))).toThrow(/argument \[0\] is a Map/);
    const g = sr.compile((h: () => void) => h);
    expect(() => g(() => {})).toThrow(/is a function/);
  });

  it('a captured tensor disposed after tracing; in-place changes to it are seen', () => {
    const w = sr.rng(2).randn([3]);
    const f = sr.compile((t: Tensor) => t.mul(w));
    f(x());
    // captured tensors are read by reference: an in-place change shows, as in eager code
    w.backend.axpy(w.storage, sr.ones([3]).storage, 1);
    expect(Array.from(f(x()).dataSync())).toEqual(Array.from(x().mul(w).dataSync()));
    w.dispose();
    expect(() => f(x())).toThrow(
      /captured from outside \(float32, 3 elements, first read at .*errors\.test\.ts:\d+\) was disposed/,
    );
    f.reset();
    expect(f.traces).toBe(1);
  });

  it('the plan text names kernels, shapes, buffers and call sites', () => {
    const f = sr.compile((t: Tensor) => t.tanh().mul(2).sum(1), { name: 'small' });
    f(x());
    const text = f.explain();
    expect(text).toMatch(/^compiled small for \(float32\[4, 3\]\)/);
    expect(text).toMatch(/unary\(tanh, in0\) → b0 float32×12 +← .*errors\.test\.ts/);
    expect(text).toMatch(/reduce\(sum, b1, \[4, 3\], \[1\]\) → b\d float32×4/);
    expect(text).toMatch(/folded into constants/);
  });

  it('sr.toDot draws the plan: steps, operands and the edges between them', () => {
    const f = sr.compile((t: Tensor) => t.tanh().mul(2).sum(1), { name: 'small' });
    expect(() => f.toDot()).toThrow(/nothing traced yet/);
    f(x());
    const dot = sr.toDot(f);
    expect(dot).toMatch(/^digraph "small" \{/);
    expect(dot).toContain('s0 [label="#0 unary|→ b0"];');
    expect(dot).toContain('in0 -> s0;');
    expect(dot).toContain('s0 -> s1;');
    expect(dot).toContain('const0 -> s1;');
    expect(dot).toContain('s1 -> s2;');
  });
});

describe('compile: differentiation around a compiled part', () => {
  it('gradcheck of a function that calls a compiled one (finite differences replay it)', () => {
    const w = sr.rng(3).randn([3, 5], { dtype: 'float64' });
    const inner = sr.compile((t: Tensor) => sr.linear(t, w, null, 'tanh').square());
    const f = (t: Tensor): Tensor => inner(t).sum(1).mul(t.sum(1));
    const t = sr.rng(4).randn([4, 3], { dtype: 'float64' });
    expect(sr.gradcheck(f, [t]).ok).toBe(true);
    // the differentiated call ran eagerly, the finite differences replayed the program
    expect(inner.traces).toBe(1);
    expect(inner.replays).toBeGreaterThan(10);
  });
});
