/**
 * Loads kernels.wasm synchronously (it is a few KB, so compiling on the main thread is
 * cheap) and types its exports. Every pointer argument is a byte offset into the
 * module's exported memory, which the float32 tensor arena hands out.
 */
import { readFileSync } from 'node:fs';

/** The parts of WebAssembly.Memory the arena uses (the project's lib settings carry no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
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
}

let loaded: KernelExports | null = null;

/** The instantiated kernels; throws naming the file when it is missing or does not load. */
export function kernelModule(): KernelExports {
  if (loaded) return loaded;
  const url = new URL('./kernels.wasm', import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch (e) {
    throw new Error(
      `cpu backend: cannot read ${url.pathname} (${(e as Error).message}); run \`npm run build:wasm\` or set SR2L_CPU_KERNELS=js`,
      { cause: e },
    );
  }
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new wasm.Instance(new wasm.Module(bytes), {});
  loaded = instance.exports as unknown as KernelExports;
  return loaded;
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
