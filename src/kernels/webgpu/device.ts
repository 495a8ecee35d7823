/**
 * Device acquisition. Tries the platform's default adapter first (Vulkan/Metal/D3D12 on
 * a real GPU), then Dawn's OpenGL ES backend in compatibility mode (Mesa's llvmpipe on a
 * GPU-less Linux box). SR2L_WEBGPU_BACKEND=vulkan|opengles|metal|d3d12|... forces one.
 * The limits we need are requested explicitly, because compatibility adapters hand out
 * small defaults (128 invocations per workgroup, 4 storage buffers per stage).
 */

import { envVar } from '../../util/env-var.js';

export interface AdapterReport {
  /**
   * Dawn backend that produced the adapter: the forced one, 'opengles' for the fallback, or
   * 'default' for Dawn's platform default (Vulkan on Linux, Metal on macOS, D3D12 on Windows),
   * 'browser' for a web page's `navigator.gpu`.
   */
  backend: string;
  featureLevel: 'core' | 'compatibility';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU rasterizers (llvmpipe, lavapipe, SwiftShader): kernel choices differ there. */
  software: boolean;
  limits: Record<string, number>;
}

export interface Acquired {
  /**
   * The object `create()` returned. It must stay referenced while the device is used:
   * if it is garbage-collected, Dawn's pending event processing touches freed memory
   * (seen as futex/mutex aborts). Drop it after device.destroy() so Node can exit.
   */
  instance: GPU;
  device: GPUDevice;
  report: AdapterReport;
}

export interface AcquireOptions {
  /** Force a Dawn backend (overrides SR2L_WEBGPU_BACKEND). */
  backend?: string;
}

/** What to install when no adapter can be found, in one message. */
export const NO_ADAPTER_HELP =
  'no WebGPU adapter found. On a machine with a GPU install its Vulkan driver (e.g. mesa-vulkan-drivers ' +
  'or the vendor driver). Without a GPU, Mesa llvmpipe through OpenGL ES works: ' +
  '`apt-get install -y libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev` and `export EGL_PLATFORM=surfaceless`. ' +
  'SR2L_WEBGPU_BACKEND=vulkan|opengles forces a backend.';

/** Limits we ask for up to the adapter's maximum (compat defaults are too small for our kernels). */
const WANTED_LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
] as const;

const REPORTED_LIMITS = [
  ...WANTED_LIMITS,
  'maxComputeWorkgroupsPerDimension',
  'maxUniformBufferBindingSize',
  'minUniformBufferOffsetAlignment',
] as const;

interface Attempt {
  backend: string;
  flags: string[];
  featureLevel: 'core' | 'compatibility';
}

function attempts(forced: string | undefined): Attempt[] {
  if (forced) {
    const compat = forced === 'opengles' || forced === 'opengl';
    return [
      { backend: forced, flags: [`backend=${forced}`], featureLevel: compat ? 'compatibility' : 'core' },
    ];
  }
  return [
    { backend: 'default', flags: [], featureLevel: 'core' },
    { backend: 'opengles', flags: ['backend=opengles'], featureLevel: 'compatibility' },
  ];
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

/** The browser's WebGPU (`navigator.gpu`), or null where there is none (Node). */
function browserGpu(): GPU | null {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ?? null;
}

// The specifier sits in a variable so that bundlers for the browser leave Dawn (a native
// Node module) out; it is loaded on first use, so importing sr2l never loads it.
const DAWN_PACKAGE = 'webgpu';

async function loadDawn(): Promise<(flags: string[]) => GPU> {
  if (!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node)
    throw new Error(
      'webgpu backend: this browser has no WebGPU (navigator.gpu is undefined); use the CPU backend',
    );
  try {
    return ((await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof import('webgpu')).create;
  } catch (e) {
    throw new Error(
      `webgpu backend: cannot load the 'webgpu' package (Dawn for Node; prebuilt for linux-x64, linux-arm64, darwin, win32): ${(e as Error).message}`,
      { cause: e },
    );
  }
}

export async function acquireDevice(opts: AcquireOptions = {}): Promise<Acquired> {
  const inBrowser = browserGpu();
  const create = inBrowser ? () => inBrowser : await loadDawn();
  const forced = opts.backend ?? envVar('SR2L_WEBGPU_BACKEND');
  const tries: Attempt[] = inBrowser
    ? [{ backend: 'browser', flags: [], featureLevel: 'core' }]
    : attempts(forced || undefined);
  const tried: string[] = [];
  for (const a of tries) {
    let adapter: GPUAdapter | null;
    let gpu: GPU;
    // Mesa's EGL needs a platform without a display server; a user's own setting wins
    if (a.backend.startsWith('opengl') && !inBrowser && process.platform === 'linux')
      process.env.EGL_PLATFORM ??= 'surfaceless';
    try {
      gpu = create(a.flags);
      adapter = await gpu.requestAdapter({ featureLevel: a.featureLevel } as GPURequestAdapterOptions);
    } catch (e) {
      tried.push(`${a.backend}: ${(e as Error).message}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${a.backend}: no adapter`);
      continue;
    }
    const requiredLimits: Record<string, number> = {};
    for (const k of WANTED_LIMITS) requiredLimits[k] = adapter.limits[k];
    const device = await adapter.requestDevice({ requiredLimits });
    const info = adapter.info;
    const limits: Record<string, number> = {};
    for (const k of REPORTED_LIMITS) limits[k] = device.limits[k];
    const description = info.description || `${info.vendor} ${info.architecture} ${info.device}`.trim();
    return {
      instance: gpu,
      device,
      report: {
        backend: a.backend,
        featureLevel: a.featureLevel,
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description,
        software: SOFTWARE.test(`${description} ${info.vendor} ${info.architecture} ${info.device}`),
        limits,
      },
    };
  }
  if (inBrowser)
    throw new Error(
      'webgpu backend: this browser offers no WebGPU adapter (navigator.gpu.requestAdapter() gave none); use the CPU backend',
    );
  throw new Error(`webgpu backend: ${NO_ADAPTER_HELP} Tried: ${tried.join('; ')}.`);
}
