/**
 * Shared by the WebGPU test files: acquires the backend once per file or explains why not.
 * With REQUIRE_WEBGPU=1 (CI) a missing adapter fails the file; otherwise the suite is
 * skipped loudly (console.warn with the reason, and the reason in the describe title).
 */
import { createWebGPUBackend, type WebGPUBackend } from '../../../src/kernels/webgpu/index.js';

export interface Acquired {
  gpu: WebGPUBackend | null;
  /** why there is no backend ('' when there is one) */
  reason: string;
}

export async function acquireWebGPU(): Promise<Acquired> {
  try {
    return { gpu: await createWebGPUBackend(), reason: '' };
  } catch (e) {
    const reason = (e as Error).message;
    if (process.env.REQUIRE_WEBGPU === '1') throw new Error(`REQUIRE_WEBGPU=1 but ${reason}`, { cause: e });
    console.warn(`[sr2l] SKIPPING WebGPU tests: ${reason}`);
    return { gpu: null, reason };
  }
}

export function suiteTitle(title: string, a: Acquired): string {
  return a.gpu ? title : `${title} — SKIPPED, no WebGPU adapter: ${a.reason}`;
}
