/** Behaviour of the WebGPU backend beyond kernel numerics: dtypes, memory, batching, errors, exit. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';
import * as sr from '../../../src/index.js';
import { createWebGPUBackend, describeAdapter, webgpuInfo } from '../../../src/kernels/webgpu/index.js';
import { acquireWebGPU, suiteTitle } from './acquire.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu!;
afterAll(() => acquired.gpu?.destroy());

describe.skipIf(!acquired.gpu)(suiteTitle('WebGPU backend behaviour', acquired), () => {
  test('reports its adapter: backend, description, limits', async () => {
    const info = await webgpuInfo();
    expect(info.description.length).toBeGreaterThan(0);
    expect(info.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(5);
    expect(info.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(64);
    expect(describeAdapter(info)).toContain(info.backend);
  });

  test('float64 tensors fail at creation with the supported dtypes named', () => {
    expect(() => sr.tensor(new Float64Array(3), { backend: gpu })).toThrow(
      /webgpu backend supports float32 and int32/,
    );
    expect(() => sr.zeros([2], { dtype: 'float64', backend: gpu })).toThrow(/float32 and int32/);
    const x = sr.tensor([1, 2], { backend: gpu });
    expect(() => x.cast('float64')).toThrow(/float32 and int32/);
  });

  test('synchronous reads fail with the async alternative named; async reads work', async () => {
    const x = sr.tensor([1, 2, 3], { backend: gpu });
    expect(() => x.dataSync()).toThrow(/await t\.data\(\)/);
    expect(() => gpu.readSync(x.storage)).toThrow(/asynchronous/);
    expect(Array.from(await x.mul(2).data())).toEqual([2, 4, 6]);
  });

  test('ops undefined for int32 and out-of-range indices are clear errors', () => {
    const i = sr.tensor(new Int32Array([1, 2]), { backend: gpu });
    expect(() => gpu.unary('exp', i.storage)).toThrow(/'exp' is not defined for int32/);
    const x = sr.tensor([1, 2, 3], { backend: gpu });
    expect(() => sr.gather(x, sr.tensor(new Int32Array([0, 3]), { backend: gpu }), 0)).toThrow(
      /index 3 is out of range for axis 0 of size 3/,
    );
  });

  test('dispose returns memory to the pool; the same size is reused, not reallocated', async () => {
    await gpu.sync();
    const m0 = gpu.memory();
    const t = sr.tensor(new Float32Array(4096), { backend: gpu });
    expect(gpu.memory().usedBytes).toBe(m0.usedBytes + 4096 * 4);
    t.dispose();
    expect(gpu.memory().usedBytes).toBe(m0.usedBytes);
    await gpu.sync();
    const allocated = gpu.memory().allocatedBytes;
    const u = sr.tensor(new Float32Array(4096), { backend: gpu });
    expect(gpu.memory().allocatedBytes).toBe(allocated);
    u.dispose();
    expect(() => u.dataSync()).toThrow(/disposed/);
  });

  test('a disposed buffer is not recycled under a recorded dispatch that still reads it', async () => {
    const x = sr.tensor(new Float32Array(1000).fill(3), { backend: gpu });
    const y = sr.neg(x); // recorded, not submitted
    x.dispose();
    const z = sr.tensor(new Float32Array(1000).fill(7), { backend: gpu }); // same size as x
    expect((await y.data())[999]).toBe(-3);
    expect((await z.data())[0]).toBe(7);
  });

  test('dispatches are batched: one submit per readback, and every flushEvery dispatches', async () => {
    await gpu.sync();
    const s0 = gpu.stats();
    let x = sr.tensor([1], { backend: gpu });
    for (let i = 0; i < 10; i++) x = x.add(x);
    expect(gpu.stats().submits).toBe(s0.submits);
    expect((await x.data())[0]).toBe(1024);
    const s1 = gpu.stats();
    expect(s1.submits).toBe(s0.submits + 1);
    expect(s1.dispatches - s0.dispatches).toBe(10);
    expect(s1.pipelines - s0.pipelines).toBeLessThanOrEqual(1); // ten dispatches, one WGSL source
    for (let i = 0; i < 130; i++) x = x.add(1);
    expect(gpu.stats().submits).toBeGreaterThanOrEqual(s1.submits + 2); // flushEvery = 64
    expect((await x.data())[0]).toBe(1024 + 130);
    x = x.add(x);
    await x.data();
    expect(gpu.stats().pipelines).toBe(s1.pipelines); // 141 adds of one-element tensors: one cached pipeline
  });

  test('SR2L_WEBGPU_DEBUG prints each new kernel with line numbers', async () => {
    const dbg = await createWebGPUBackend({ debug: true });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const x = sr.tensor([1, -2], { backend: dbg });
      expect(Array.from(await x.abs().data())).toEqual([1, 2]);
      const printed = spy.mock.calls.map((c) => String(c[0])).join('\n');
      expect(printed).toMatch(/kernel unary \{"op":"abs","type":"f32"\}/);
      expect(printed).toMatch(/\n\s+1 {2}/);
      expect(printed).toContain('@compute @workgroup_size(64)');
    } finally {
      spy.mockRestore();
      dbg.destroy();
    }
  });

  test('a bogus forced backend names what to install', async () => {
    await expect(createWebGPUBackend({ backend: 'no-such-backend' })).rejects.toThrow(
      /no WebGPU adapter found.*libegl/s,
    );
  });

  test('garbage-collected tensors give their buffers back, and Node exits without destroy()', () => {
    const script = fileURLToPath(new URL('./fixtures/gc-exit.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: process.env,
    });
    expect(r.error, 'the child did not exit by itself').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const { before, peak, after } = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(peak - before).toBeGreaterThanOrEqual(100 * 4000);
    expect(after - before).toBeLessThan((peak - before) / 2);
  });
});
