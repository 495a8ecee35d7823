/**
 * The compute backend a run trains on, by its config name. The WebGPU backend is opened
 * once per process (acquiring an adapter takes a while and a second device is waste);
 * describeBackend says what was picked, for config.json.
 */
import type { Backend } from '../kernels/backend.js';
import { cpuBackend } from '../kernels/cpu/index.js';
import { createWebGPUBackend, webgpuInfo, type WebGPUBackend } from '../kernels/webgpu/index.js';
import type { BackendName } from './settings.js';

let gpu: Promise<WebGPUBackend> | null = null;

export async function openBackend(name: BackendName): Promise<Backend> {
  if (name === 'cpu') return cpuBackend;
  gpu ??= createWebGPUBackend();
  try {
    return await gpu;
  } catch (e) {
    gpu = null; // let a later call try again (after installing what the error names)
    throw e;
  }
}

/** What config.json records about the backend: the CPU kernel set, or the WebGPU adapter. */
export async function describeBackend(name: BackendName): Promise<Record<string, unknown>> {
  if (name === 'cpu') return { name, kernels: cpuBackend.kernels };
  await openBackend(name);
  return { name, adapter: await webgpuInfo() };
}
