/**
 * The float32 tensor arena: blocks are recycled on dispose and on garbage collection,
 * views survive the memory growing, a full arena falls back to the heap, and the kernel
 * set is chosen by SR2L_CPU_KERNELS.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { CpuBackend, kernelsFromEnv } from '../../../src/kernels/cpu/index.js';
import { CpuStorage } from '../../../src/kernels/cpu/storage.js';
import { arenaLimitFromEnv, sharedArena } from '../../../src/kernels/cpu/wasm/arena.js';

const simd = new CpuBackend({ kernels: 'simd' });
const arena = sharedArena();

describe('arena', () => {
  test('large float32 storages live in the arena, small ones and float64 on the heap', () => {
    expect((simd.fill('float32', 4096, 1) as CpuStorage).arena).toBe(arena);
    expect((simd.fill('float32', 3, 1) as CpuStorage).arena).toBeNull();
    expect((simd.fill('float64', 4096, 1) as CpuStorage).arena).toBeNull();
    expect((new CpuBackend({ kernels: 'js' }).fill('float32', 4096, 1) as CpuStorage).arena).toBeNull();
  });

  test('dispose returns the block, and the next storage of that size reuses it', () => {
    const s = simd.fill('float32', 1234, 2) as CpuStorage;
    const live = arena.liveBytes;
    simd.dispose(s);
    expect(arena.liveBytes).toBe(live - 1234 * 4 - 8); // rounded up to 16 bytes
    expect(s.disposed).toBe(true);
    const t = simd.fill('float32', 1234, 3) as CpuStorage;
    expect(t.ptr).toBe(s.ptr);
    expect(simd.readSync(t)[1233]).toBe(3); // recycled blocks are filled, not left stale
    simd.dispose(s); // a second dispose is a no-op: the block now belongs to t
    expect(simd.readSync(t)[0]).toBe(3);
    expect(() => simd.readSync(s)).toThrow(/disposed/);
  });

  test('views taken before the memory grows are re-made afterwards', () => {
    const s = simd.upload(new Float32Array(1000).fill(5)) as CpuStorage;
    const before = s.data;
    const generation = arena.generation;
    const cap = arena.capacityBytes;
    const big = simd.fill('float32', cap / 4, 0); // more than the whole memory: it must grow
    expect(arena.generation).toBeGreaterThan(generation);
    expect(before.length).toBe(0); // the old view was detached by the grow
    expect(s.data.length).toBe(1000);
    expect(s.data[999]).toBe(5);
    simd.dispose(big);
  });

  test('an arena at its limit refuses, and the backend keeps new tensors (and SIMD work) on the heap', () => {
    const limit = arena.limitBytes;
    arena.limitBytes = arena.capacityBytes; // no growing past the current memory
    try {
      expect(arena.alloc(arena.capacityBytes)).toBe(-1);
      const n = arena.capacityBytes / 4;
      const x = simd.fill('float32', n, 1) as CpuStorage;
      expect(x.arena).toBeNull();
      const y = simd.binary('add', x, [n], x, [n], [n]);
      expect(simd.readSync(y)[n - 1]).toBe(2);
    } finally {
      arena.limitBytes = limit;
    }
  });

  test('scratch blocks past the limit are reused by kernel calls and never handed to tensors', () => {
    const limit = arena.limitBytes;
    arena.limitBytes = arena.topBytes; // full: no fresh blocks for tensors
    try {
      // sizes no earlier test freed, so no free block can serve them
      const x = simd.fill('float32', 61 * 67, 0.5) as CpuStorage;
      expect(x.arena).toBeNull(); // the arena is full: a heap tensor
      const grown = (): number => arena.capacityBytes;
      simd.matmul(x, [61, 67], x, [61, 67], false, true, [61, 61]); // stages x twice, packs, stages out
      const after = grown();
      for (let i = 0; i < 50; i++) {
        const y = simd.matmul(x, [61, 67], x, [61, 67], false, true, [61, 61]) as CpuStorage;
        expect(y.arena).toBeNull();
        expect(simd.readSync(y)[61 * 61 - 1]).toBe(16.75);
      }
      expect(grown()).toBe(after); // the same scratch blocks every call
      expect(arena.alloc(16)).toBe(-1); // and tensors still find the arena full
    } finally {
      arena.limitBytes = limit;
    }
  });

  test('blocks of garbage-collected storages return to the arena', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = arena.liveBytes;
    (() => {
      for (let i = 0; i < 50; i++) simd.fill('float32', 10_000, 1);
    })();
    expect(arena.liveBytes).toBeGreaterThanOrEqual(live + 50 * 40_000);
    for (let i = 0; i < 100 && arena.liveBytes > live; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(arena.liveBytes).toBeLessThanOrEqual(live);
  });
});

describe('SR2L_CPU_KERNELS', () => {
  test('selects the kernel set and rejects other values', () => {
    const saved = process.env.SR2L_CPU_KERNELS;
    try {
      process.env.SR2L_CPU_KERNELS = 'js';
      expect(kernelsFromEnv()).toBe('js');
      process.env.SR2L_CPU_KERNELS = 'simd';
      expect(kernelsFromEnv()).toBe('simd');
      expect(new CpuBackend().kernels).toBe('simd');
      process.env.SR2L_CPU_KERNELS = 'gpu';
      expect(() => kernelsFromEnv()).toThrow("SR2L_CPU_KERNELS='gpu' is not a kernel set; allowed: js, simd");
      delete process.env.SR2L_CPU_KERNELS;
      expect(kernelsFromEnv()).toBe('simd'); // WebAssembly SIMD works on Node 20
    } finally {
      if (saved === undefined) delete process.env.SR2L_CPU_KERNELS;
      else process.env.SR2L_CPU_KERNELS = saved;
    }
  });

  test('SR2L_CPU_ARENA_MB sets the arena limit and rejects nonsense', () => {
    const saved = process.env.SR2L_CPU_ARENA_MB;
    try {
      delete process.env.SR2L_CPU_ARENA_MB;
      expect(arenaLimitFromEnv()).toBe(64 * 2 ** 20);
      process.env.SR2L_CPU_ARENA_MB = '512';
      expect(arenaLimitFromEnv()).toBe(512 * 2 ** 20);
      process.env.SR2L_CPU_ARENA_MB = 'lots';
      expect(() => arenaLimitFromEnv()).toThrow(
        "SR2L_CPU_ARENA_MB='lots' must be a number of MiB between 1 and 4095",
      );
    } finally {
      if (saved === undefined) delete process.env.SR2L_CPU_ARENA_MB;
      else process.env.SR2L_CPU_ARENA_MB = saved;
    }
  });
});
