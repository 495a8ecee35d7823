/**
 * TensorFlow.js's WebGPU backend on the same Dawn adapter, for comparison. tfjs expects the
 * browser's navigator.gpu: we hand it a Dawn instance created with the same backend flags our
 * backend chose, and (for a compatibility adapter) add featureLevel: 'compatibility' to its
 * adapter request, which it does not know to ask for.
 */
import { createRequire } from 'node:module';
import type { AdapterReport } from '../../src/kernels/webgpu/index.js';

// tfjs's ESM build imports directories, which Node's ESM loader refuses, so we load the
// CommonJS builds. tfjs-core's CommonJS build registers no gradients (the @tensorflow/tfjs
// bundle does that): bundle its register_all_gradients module with esbuild and run it; it
// registers into tfjs's process-wide gradient registry, which every copy of the core shares.
const require = createRequire(import.meta.url);

async function registerTfjsGradients(): Promise<void> {
  const { build } = await import('esbuild');
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0]!.text)(mod, mod.exports, require);
}

export type Tf = typeof import('@tensorflow/tfjs-core');

export interface TfjsSetup {
  tf: Tf | null;
  /** why tfjs-webgpu is unavailable ('' when it runs) */
  reason: string;
}

export async function setupTfjsWebGPU(adapter: AdapterReport): Promise<TfjsSetup> {
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const gpu = create(adapter.backend === 'default' ? [] : [`backend=${adapter.backend}`]);
    if (adapter.featureLevel === 'compatibility') {
      const request = gpu.requestAdapter.bind(gpu);
      gpu.requestAdapter = (o: GPURequestAdapterOptions = {}) =>
        request({ ...o, featureLevel: 'compatibility' } as GPURequestAdapterOptions);
    }
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    const tf = require('@tensorflow/tfjs-core') as Tf;
    require('@tensorflow/tfjs-backend-webgpu');
    await registerTfjsGradients();
    if (!(await tf.setBackend('webgpu')))
      return { tf: null, reason: 'tf.setBackend("webgpu") returned false' };
    return { tf, reason: '' };
  } catch (e) {
    return { tf: null, reason: (e as Error).message };
  }
}
