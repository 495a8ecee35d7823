/**
 * The replay's backend choice (app/replay-backend.ts) with fake `navigator.gpu`s: WebGPU is
 * offered only when an adapter comes back, with the float32 note; choosing it creates the
 * engine's WebGPU backend on the browser's navigator.gpu (acquireDevice's browser path, never
 * Dawn); the CPU choice is sr2l's CPU backend, the one sr2l eval computes on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replayBackend, WEBGPU_ROUNDING_NOTE, webgpuOffer } from '../../src/dashboard/app/replay-backend.js';
import { cpuBackend } from '../../src/kernels/cpu/index.js';

afterEach(() => vi.unstubAllGlobals());

/** A navigator.gpu whose adapter is `adapter` (null: none), counting the requests. */
function fakeGpu(adapter: unknown) {
  return { requestAdapter: vi.fn(async () => adapter) };
}

describe('replay backend choice', () => {
  it('offers WebGPU only when navigator.gpu gives an adapter, and says why not otherwise', async () => {
    vi.stubGlobal('navigator', {});
    expect(await webgpuOffer()).toEqual({
      available: false,
      reason: 'this browser has no WebGPU (navigator.gpu is undefined)',
    });
    const none = fakeGpu(null);
    expect(await webgpuOffer(none)).toEqual({
      available: false,
      reason: 'this browser offers no WebGPU adapter (navigator.gpu.requestAdapter() gave none)',
    });
    expect(none.requestAdapter).toHaveBeenCalledOnce();
    const failing = { requestAdapter: () => Promise.reject(new Error('blocked by policy')) };
    expect((await webgpuOffer(failing)).available).toBe(false);
    const some = fakeGpu({ info: {} });
    vi.stubGlobal('navigator', { gpu: some });
    expect(await webgpuOffer()).toEqual({ available: true, reason: WEBGPU_ROUNDING_NOTE });
    expect(some.requestAdapter).toHaveBeenCalledOnce();
  });

  it("selects sr2l's CPU backend for 'cpu' and the engine's WebGPU backend on navigator.gpu for 'webgpu'", async () => {
    expect(await replayBackend('cpu')).toBe(cpuBackend);
    // an adapter whose device request fails with a mark: the WebGPU choice went to this navigator.gpu
    const mark = new Error('fake device: requestDevice reached');
    const gpu = fakeGpu({ limits: {}, info: {}, requestDevice: () => Promise.reject(mark) });
    vi.stubGlobal('navigator', { gpu });
    await expect(replayBackend('webgpu')).rejects.toBe(mark);
    expect(gpu.requestAdapter).toHaveBeenCalledOnce();
    // a failure is not kept: the next choice asks again, here of a browser without an adapter
    vi.stubGlobal('navigator', { gpu: fakeGpu(null) });
    await expect(replayBackend('webgpu')).rejects.toThrow(
      'webgpu backend: this browser offers no WebGPU adapter (navigator.gpu.requestAdapter() gave none); use the CPU backend',
    );
    await expect(replayBackend('metal' as 'cpu')).rejects.toThrow(
      "unknown replay backend 'metal'; allowed: cpu, webgpu",
    );
  });
});
