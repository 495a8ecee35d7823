/**
 * Compiled replay on WebGPU as recorded commands (src/kernels/webgpu/command-program.ts):
 * after the first replay a call builds no bind group and submits one command buffer
 * (counted by wrapping the device's methods), and the results stay bit for bit those of
 * eager WebGPU: training steps with Adam (a changed learning rate included), the 10-step
 * PGD in both replay modes, captured parameters changed in place or given another buffer
 * between calls, a new shape. Skips loudly without an adapter; fails under REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import type { ReplayMode } from '../../../src/kernels/webgpu/index.js';
import type { GpuStorage } from '../../../src/kernels/webgpu/storage.js';
import { MLP } from '../../../src/nn/index.js';
import { pgdMaximize } from '../../../src/rl/smoothness/index.js';
import { acquireWebGPU, suiteTitle } from '../../kernels/webgpu/acquire.js';
import { countCommands } from '../../kernels/webgpu/count-commands.js';
import { mlpTrainer } from './trainer.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

const bits = async (t: Tensor): Promise<number[]> => Array.from(await t.data());

describe.skipIf(!gpu)(suiteTitle('compiled replay on WebGPU: recorded commands', acquired), () => {
  const backend = gpu!;

  const counted = <T>(f: () => T) => countCommands(backend, f);

  /** Puts `by`'s device buffer behind `t`'s storage; the returned function puts `t`'s back. */
  const swapBuffer = (t: Tensor, by: Tensor): (() => void) => {
    const s = t.storage as GpuStorage;
    const own = s.buffer;
    s.buffer = (by.storage as GpuStorage).buffer;
    return () => {
      s.buffer = own;
      by.dispose(); // held until here, so its buffer was not recycled while borrowed
    };
  };

  it('after the first replay a training step is one submit, no new bind group, and equals eager bit for bit', async () => {
    const eager = mlpTrainer(3, backend);
    const comp = mlpTrainer(3, backend);
    const step = sr.compile(comp.step);
    const g = sr.rng(1);
    for (let i = 0; i < 8; i++) {
      // fresh argument tensors every call, as a training loop makes them
      const x = g.randn([32, 5], { backend });
      const y = g.randn([32, 3], { backend });
      const got = await counted(() => step(x, y));
      if (i === 1) expect(got.bindGroups).toBeGreaterThan(10); // the recording call builds them
      if (i >= 2) expect([got.submits, got.bindGroups]).toEqual([1, 0]);
      expect(await bits(got.value)).toEqual(await bits(eager.step(x, y)));
    }
    const pe = eager.net.parameters();
    const pc = comp.net.parameters();
    for (let i = 0; i < pe.length; i++) expect(await bits(pc[i]!)).toEqual(await bits(pe[i]!));
  });

  it('a learning rate changed between calls reaches the replayed Adam (params rewritten, no bind group)', async () => {
    const eager = mlpTrainer(4, backend);
    const comp = mlpTrainer(4, backend);
    const step = sr.compile(comp.step);
    const x = sr.rng(2).randn([16, 5], { backend });
    const y = sr.rng(3).randn([16, 3], { backend });
    for (let i = 0; i < 6; i++) {
      const lr = i < 3 ? 1e-2 : 0.1;
      eager.opt.lr = lr;
      comp.opt.lr = lr;
      const got = await counted(() => step(x, y));
      if (i >= 2) expect(got.bindGroups).toBe(0);
      expect(await bits(got.value)).toEqual(await bits(eager.step(x, y)));
    }
    expect(await bits(comp.net.parameters()[0]!)).toEqual(await bits(eager.net.parameters()[0]!));
  });

  for (const mode of ['commands', 'dispatches'] as ReplayMode[]) {
    it(`the 10-step PGD replayed 5 times equals eager bit for bit (replay: ${mode})`, async () => {
      const net = new MLP([17, 64, 64, 6], { hidden: 'relu', rng: 7, backend });
      const div = (s: Tensor, p: Tensor): Tensor => net.forward(s).sub(net.forward(p)).square().sum(1);
      const pgd = (gen: sr.Generator) => (s: Tensor) =>
        pgdMaximize(s, div, { eps: 0.05, steps: 10, generator: gen }).delta;
      const ge = sr.rng(5);
      const gc = sr.rng(5);
      const eager = pgd(ge);
      const before = backend.replay;
      backend.replay = mode; // read when the program is built, at the trace
      const compiled = sr.compile(pgd(gc));
      try {
        for (let i = 0; i < 6; i++) {
          const s = sr.rng(10 + i).randn([64, 17], { backend });
          const got = await counted(() => compiled(s));
          if (mode === 'commands' && i >= 2) expect([got.submits, got.bindGroups]).toEqual([1, 0]);
          expect(await bits(got.value)).toEqual(await bits(eager(s)));
        }
      } finally {
        backend.replay = before;
      }
      expect(compiled.replays).toBe(5);
      expect(gc.getState()).toEqual(ge.getState());
    });
  }

  for (const mode of ['commands', 'dispatches'] as ReplayMode[]) {
    it(`a draw into a buffer an earlier step read lands after that read (replay: ${mode})`, async () => {
      // the planner gives the draw the buffer `twice` held (same size, free after the sum)
      const f = (gen: sr.Generator) => (x: Tensor) => {
        const total = x.mul(2).sum();
        return total.add(gen.randn(x.shape, { backend }).sum());
      };
      const compiled = sr.compile(f(sr.rng(3)));
      const eager = f(sr.rng(3));
      const x = sr.rng(4).randn([64, 17], { backend });
      const before = backend.replay;
      backend.replay = mode; // read when the program is built, at the trace
      try {
        for (let i = 0; i < 4; i++) expect(await bits(compiled(x))).toEqual(await bits(eager(x)));
      } finally {
        backend.replay = before;
      }
      expect(compiled.explain()).toMatch(/draw \(generator\) → b0/);
    });
  }

  it('captured parameters changed in place (loadStateDict) or given another buffer are seen', async () => {
    const net = new MLP([5, 16, 2], { hidden: 'tanh', rng: 1, backend });
    const forward = sr.compile((x: Tensor) => net.forward(x));
    const x = sr.rng(4).randn([8, 5], { backend });
    for (let i = 0; i < 3; i++) expect(await bits(forward(x))).toEqual(await bits(net.forward(x)));

    // in place: the same buffers, new values; the recorded bind groups stay
    net.loadStateDict(new MLP([5, 16, 2], { hidden: 'tanh', rng: 2, backend }).namedParameters());
    const inPlace = await counted(() => forward(x));
    expect(inPlace.bindGroups).toBe(0);
    expect(await bits(inPlace.value)).toEqual(await bits(net.forward(x)));

    // another buffer behind the same storage: the dispatches that bind it get a bind group
    const restore = swapBuffer(net.parameters()[0]!, sr.rng(9).randn([5, 16], { backend }));
    try {
      const swapped = await counted(() => forward(x));
      expect(swapped.bindGroups).toBeGreaterThan(0);
      expect(await bits(swapped.value)).toEqual(await bits(net.forward(x)));
      const again = await counted(() => forward(x));
      expect(again.bindGroups).toBe(0);
      expect(await bits(again.value)).toEqual(await bits(net.forward(x)));
    } finally {
      restore();
    }
    expect(forward.traces).toBe(1);
  });

  it('a new shape traces again; each shape keeps its recorded program', async () => {
    const net = new MLP([5, 16, 2], { hidden: 'relu', rng: 3, backend });
    const forward = sr.compile((x: Tensor) => net.forward(x).square().sum());
    const small = sr.rng(1).randn([4, 5], { backend });
    const large = sr.rng(2).randn([12, 5], { backend });
    for (const x of [small, small, large, large, small, large]) {
      const got = await counted(() => forward(x));
      expect(await bits(got.value)).toEqual(await bits(net.forward(x).square().sum()));
    }
    expect(forward.traces).toBe(2);
    for (const x of [small, large]) expect((await counted(() => forward(x))).bindGroups).toBe(0);
  });

  it('explain() says what was recorded; the recorded kernels stay until reset(), and a step run again notices', async () => {
    const net = new MLP([5, 16, 2], { hidden: 'relu', rng: 3, backend });
    const forward = sr.compile((x: Tensor) => net.forward(x));
    const x = sr.rng(1).randn([4, 5], { backend });
    forward(x);
    expect(forward.explain()).toMatch(/webgpu commands: recorded at the first replay/);
    const recorded = await bits(forward(x));
    expect(forward.explain()).toMatch(
      /webgpu commands, one command buffer per call: dispatches 2, copies 1, uploads 0; bind groups built 2;/,
    );
    backend.forceKernel('linear', 'matmul_naive');
    try {
      const pipelines = backend.stats().pipelines;
      // the steps are skipped: the recorded kernels run, nothing new is compiled
      expect(await bits(forward(x))).toEqual(recorded);
      expect(backend.stats().pipelines).toBe(pipelines);
      // a captured tensor on another buffer makes every step run, and the kernel differs
      const restore = swapBuffer(net.parameters()[0]!, sr.rng(9).randn([5, 16], { backend }));
      try {
        expect(() => forward(x)).toThrow(
          /other GPU commands than when it was recorded.*forceKernel.*reset\(\)/,
        );
      } finally {
        restore();
      }
      forward.reset();
      for (let i = 0; i < 3; i++) expect(await bits(forward(x))).toEqual(await bits(net.forward(x)));
      expect(backend.stats().pipelines).toBeGreaterThan(pipelines);
    } finally {
      backend.forceKernel('linear', null);
    }
  });
});
