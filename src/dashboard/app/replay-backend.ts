/**
 * The engine backend the page's replay computes on. The CPU backend (its WebAssembly SIMD
 * kernels) is the default: `sr2l eval` computes on it too, so the returns are eval's bit for
 * bit. WebGPU is offered only where `navigator.gpu` gives an adapter; its float32 kernels
 * reduce in another order, so its returns match eval's only within float32 rounding (and an
 * attack's step can flip where the policy is that close to a tie).
 */
import { getDefaultBackend, setDefaultBackend } from '../../autograd/default-backend.js';
import type { Backend } from '../../kernels/backend.js';
import { cpuBackend } from '../../kernels/cpu/index.js';
import { createWebGPUBackend } from '../../kernels/webgpu/index.js';

export const REPLAY_BACKENDS = ['cpu', 'webgpu'] as const;
export type ReplayBackendName = (typeof REPLAY_BACKENDS)[number];

/** Whether the page can offer WebGPU, and why not or what it means. */
export interface WebgpuOffer {
  available: boolean;
  reason: string;
}

/** What the offer reads of `navigator.gpu`. */
interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

const navigatorGpu = (): GpuLike | undefined =>
  (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;

export const WEBGPU_ROUNDING_NOTE =
  "WebGPU computes in float32 in its own order: the returns match sr2l eval's only within float32 rounding";

/** Asks `gpu` (default the browser's navigator.gpu) for an adapter, the condition for offering WebGPU. */
export async function webgpuOffer(gpu: GpuLike | undefined = navigatorGpu()): Promise<WebgpuOffer> {
  if (!gpu) return { available: false, reason: 'this browser has no WebGPU (navigator.gpu is undefined)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter)
    return {
      available: false,
      reason: 'this browser offers no WebGPU adapter (navigator.gpu.requestAdapter() gave none)',
    };
  return { available: true, reason: WEBGPU_ROUNDING_NOTE };
}

let webgpu: Promise<Backend> | null = null;

/**
 * The backend of a choice: sr2l's CPU backend, or its WebGPU backend on the browser's
 * navigator.gpu (created once and kept: a device per replay would leak GPU memory).
 */
export function replayBackend(name: ReplayBackendName): Promise<Backend> {
  if (name === 'cpu') return Promise.resolve(cpuBackend);
  if (name !== 'webgpu')
    return Promise.reject(
      new Error(`unknown replay backend '${String(name)}'; allowed: ${REPLAY_BACKENDS.join(', ')}`),
    );
  // a failed creation is not kept: the next replay asks again
  webgpu ??= createWebGPUBackend().catch((e: unknown) => {
    webgpu = null;
    throw e;
  });
  return webgpu;
}

/** Runs `f` with new tensors on `backend` (the agent's networks and the rollout's), restoring the default after. */
export async function withReplayBackend<T>(backend: Backend, f: () => Promise<T>): Promise<T> {
  const before = getDefaultBackend();
  setDefaultBackend(backend);
  try {
    return await f();
  } finally {
    setDefaultBackend(before);
  }
}
