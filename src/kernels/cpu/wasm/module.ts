/**
 * Instantiates the kernels (kernels.wasm, embedded as base64 so neither Node nor a browser
 * bundle needs file access) and types their exports. Every pointer argument is a byte
 * offset into the module's exported memory, which the float32 tensor arena hands out.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The parts of WebAssembly.Memory the arena uses (the project's lib settings carry no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  compile(bytes: Uint8Array): Promise<object>;
}

const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function kernelBytes(): Uint8Array {
  const text = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(module: object): KernelExports {
  loaded = new (wasmApi().Instance)(module, {}).exports as unknown as KernelExports;
  return loaded;
}

export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    scratch: number,
  ): void;
  linear(x: number, w: number, bias: number, o: number, m: number, k: number, n: number, act: number): void;
  tanh(x: number, o: number, len: number): void;
  activationGrad(act: number, y: number, g: number, o: number, len: number): void;
  binary(op: number, a: number, b: number, o: number, len: number): void;
  sumRows(x: number, o: number, m: number, n: number): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    len: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    wd: number,
    c1: number,
    c2: number,
  ): void;
  axpy(p: number, x: number, len: number, alpha: number): void;
  copyRows(x: number, o: number, rows: number, cols: number, xStride: number, oStride: number): void;
}

let loaded: KernelExports | null = null;

/**
 * Instantiates a generated module (wasm/emit.ts) that imports the kernels' memory as
 * `env.memory`, so its functions work on the same arena blocks. Compiled synchronously:
 * generated kernels are a few hundred bytes, far below browsers' 4 KB main-thread limit.
 */
export function instantiateOnArena(bytes: Uint8Array): Record<string, unknown> {
  const api = wasmApi();
  const imports = { env: { memory: kernelModule().memory } };
  return new api.Instance(new api.Module(bytes), imports).exports as Record<string, unknown>;
}

/**
 * The instantiated kernels, compiled synchronously on first use (a few KB). A browser's
 * main thread may refuse to compile synchronously (Chromium's limit is 4 KB); there,
 * `await loadCpuKernels()` first.
 */
export function kernelModule(): KernelExports {
  if (loaded) return loaded;
  try {
    return instantiate(new (wasmApi().Module)(kernelBytes()));
  } catch (e) {
    throw new Error(
      `cpu backend: the WebAssembly SIMD kernels do not load here (${(e as Error).message}); in a browser await loadCpuKernels() first, or set SR2L_CPU_KERNELS=js`,
      { cause: e },
    );
  }
}

/**
 * Compiles the kernels asynchronously (allowed everywhere, also on a browser's main
 * thread); afterwards new CPU backends use them. Resolves to whether they loaded.
 */
export async function loadCpuKernels(): Promise<boolean> {
  if (loaded) return true;
  try {
    instantiate(await wasmApi().compile(kernelBytes()));
    return true;
  } catch {
    return false;
  }
}

/** Whether kernels.wasm loads here (WebAssembly with 128-bit SIMD, the file present). */
export function simdSupported(): boolean {
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}

// Compiled while sr2l is imported, so the default CPU backend gets the SIMD kernels in a
// browser's main thread too (where a synchronous compile of this size is refused).
await loadCpuKernels();
