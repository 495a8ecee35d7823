/**
 * Safetensors files on disk (Node): the byte format is safetensors.ts; this adds reading a
 * file and writing one atomically, which the core (also run in a browser) must not need.
 */
import { readFile } from 'node:fs/promises';
import type { Backend } from '../kernels/backend.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import {
  decodeSafetensors,
  encodeSafetensorsAsync,
  type SafetensorsContents,
  type TensorMap,
} from './safetensors.js';

/** Writes tensors (from any backend) and metadata to `path` atomically. */
export async function saveSafetensors(
  path: string,
  tensors: TensorMap,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, await encodeSafetensorsAsync(tensors, metadata));
}

/** Reads a .safetensors file; errors name the file and the problem. */
export async function loadSafetensors(
  path: string,
  opts: { backend?: Backend } = {},
): Promise<SafetensorsContents> {
  const bytes = await readFile(path);
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    name: path,
    backend: opts.backend,
  });
}
