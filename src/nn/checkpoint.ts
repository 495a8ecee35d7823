/**
 * Modules and optimizers to and from .safetensors files. A module file holds its
 * parameters under their dotted names (W is [in, out]: transpose for PyTorch's
 * nn.Linear). An optimizer file holds its slots, with kind, step and hyperparameters
 * in the metadata, so a run resumes exactly.
 */
import type { Module } from './module.js';
import type { Optimizer } from './optim/optimizer.js';
import { SafetensorsError } from './safetensors.js';
import { loadSafetensors, saveSafetensors } from './safetensors-file.js';

/** Saves a module's parameters (plus string metadata) to `path` atomically. */
export async function saveModule(
  path: string,
  module: Module,
  metadata: Record<string, string> = {},
): Promise<void> {
  await saveSafetensors(path, module.namedParameters(), metadata);
}

/** Loads parameters from `path` into `module` in place; returns the file's metadata. */
export async function loadModule(path: string, module: Module): Promise<Record<string, string>> {
  const { tensors, metadata } = await loadSafetensors(path, { backend: module.parameters()[0]?.backend });
  module.loadStateDict(tensors, { source: path });
  return metadata;
}

const KIND = 'sr2l.optimizer';

export async function saveOptimizer(path: string, opt: Optimizer): Promise<void> {
  const s = opt.stateDict();
  await saveSafetensors(path, s.tensors, {
    [KIND]: s.kind,
    step: String(s.step),
    hyper: JSON.stringify(s.hyper),
  });
}

/** Restores an optimizer saved by saveOptimizer (parameters matched by name). */
export async function loadOptimizer(path: string, opt: Optimizer): Promise<void> {
  const backend = opt.params.values().next().value?.backend;
  const { tensors, metadata } = await loadSafetensors(path, { backend });
  const kind = metadata[KIND];
  if (kind === undefined)
    throw new SafetensorsError(path, `no '${KIND}' metadata: not an optimizer checkpoint`);
  let hyper: unknown;
  try {
    hyper = JSON.parse(metadata.hyper ?? '');
  } catch {
    throw new SafetensorsError(path, `metadata 'hyper' is not valid JSON: ${JSON.stringify(metadata.hyper)}`);
  }
  if (typeof hyper !== 'object' || hyper === null)
    throw new SafetensorsError(path, `metadata 'hyper' is not an object`);
  const step = Number(metadata.step);
  opt.loadStateDict({ kind, step, hyper: hyper as Record<string, number>, tensors }, { source: path });
}
