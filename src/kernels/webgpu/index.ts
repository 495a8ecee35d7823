/**
 * Public entry of the WebGPU backend.
 *
 *   const gpu = await createWebGPUBackend();
 *   setDefaultBackend(gpu);            // or tensor(data, { backend: gpu })
 *   ...
 *   console.log(await y.data());       // reads are async
 *   gpu.destroy();                     // frees the device so Node can exit
 */
import { acquireDevice, type AcquireOptions, type AdapterReport } from './device.js';
import { WebGPUBackend, type WebGPUBackendOptions } from './backend.js';

export { WebGPUBackend, type ReplayMode, type WebGPUBackendOptions } from './backend.js';
export { NO_ADAPTER_HELP, type AdapterReport } from './device.js';
export { registeredKernels, kernelsFor, type KernelDef, type KernelFamily } from './registry.js';
export type { PoolStats } from './pool.js';

let last: AdapterReport | null = null;

/** Acquires an adapter and device (default adapter first, then OpenGL ES compatibility) and builds the backend. */
export async function createWebGPUBackend(
  opts: WebGPUBackendOptions & AcquireOptions = {},
): Promise<WebGPUBackend> {
  const { instance, device, report } = await acquireDevice(opts);
  last = report;
  return new WebGPUBackend(instance, device, report, opts);
}

/**
 * The adapter the backend uses (backend, description, limits): the last one created in
 * this process, or a fresh probe (device released again) when none was.
 */
export async function webgpuInfo(opts: AcquireOptions = {}): Promise<AdapterReport> {
  if (last) return last;
  const { device, report } = await acquireDevice(opts);
  device.destroy();
  return report;
}

/** One line for logs and benchmark tables. */
export function describeAdapter(r: AdapterReport): string {
  const name = [r.device, r.description].filter(Boolean).join(', ') || 'unknown adapter';
  return `${name} (${r.backend}, ${r.featureLevel}${r.software ? ', software' : ''})`;
}
