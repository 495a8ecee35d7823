/**
 * The kernel registry. A kernel is one file under kernels/ exporting a KernelDef (its WGSL
 * as a template function of a small configuration) and one line in kernels/index.ts that
 * registers it. Each kernel serves one `family` (a Backend method); families with several
 * variants (matmul, reduce) pick one per adapter and shape, and tests can force a variant.
 * The parity harness (test/kernels/parity.test.ts) enumerates this registry.
 */

/** The Backend method(s) a kernel implements. */
export type KernelFamily =
  | 'fill'
  | 'unary'
  | 'binary'
  | 'where'
  | 'cast'
  | 'reduce'
  | 'matmul'
  | 'linear'
  | 'stackedLinear'
  | 'activationGrad'
  | 'strided'
  | 'scatterStrided'
  | 'concat'
  | 'gather'
  | 'scatterAdd'
  | 'adamUpdate'
  | 'axpy'
  | 'fusedElementwise';

export type KernelConfig = Readonly<Record<string, string | number | boolean>>;

export interface AdapterCaps {
  /** CPU rasterizer (llvmpipe etc.): fewer, larger threads; workgroup memory is no faster than global. */
  software: boolean;
  maxInvocations: number;
  maxWorkgroupStorage: number;
}

export interface KernelDef<C extends KernelConfig = KernelConfig> {
  /** Unique name, also the file name under kernels/. */
  readonly name: string;
  readonly family: KernelFamily;
  /** Families that use this kernel besides their own (e.g. matmul kernels also serve linear). */
  readonly alsoServes?: readonly KernelFamily[];
  /** For matrix kernels: the [rows, columns] of the output one workgroup covers (sets the grid). */
  readonly tile?: readonly [number, number];
  /** WGSL for one configuration. Binding 0 is the params uniform, then inputs, then outputs. */
  source(config: C, caps: AdapterCaps): string;
  /** Whether this kernel can run a given call (variants may be shape-restricted); default yes. */
  supports?(config: C, caps: AdapterCaps): boolean;
}

const kernels = new Map<string, KernelDef>();

export function registerKernel<C extends KernelConfig>(def: KernelDef<C>): KernelDef<C> {
  if (kernels.has(def.name)) throw new Error(`webgpu kernel registry: '${def.name}' is registered twice`);
  kernels.set(def.name, def as unknown as KernelDef);
  return def;
}

export function getKernel(name: string): KernelDef {
  const k = kernels.get(name);
  if (!k)
    throw new Error(
      `webgpu kernel registry: no kernel '${name}'; registered: ${[...kernels.keys()].join(', ')}`,
    );
  return k;
}

export function registeredKernels(): readonly KernelDef[] {
  return [...kernels.values()];
}

/** Kernels that can serve a family, in registration order. */
export function kernelsFor(family: KernelFamily): KernelDef[] {
  return [...kernels.values()].filter((k) => k.family === family || k.alsoServes?.includes(family));
}
