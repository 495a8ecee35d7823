/**
 * WebGPU usage flags as plain numbers: the spec fixes their values, and reading them from
 * the `webgpu` package's globals would mean installing those globals on globalThis.
 */
export const BUFFER = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MAP_READ_MODE = 0x0001;

export const STORAGE_USAGE = BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST;
