/**
 * Compiled models, shared: each MJCF text is compiled once per process and the MjModel
 * is shared by every environment built from it (reference-counted); the last `release`
 * frees it, so closing all environments leaves nothing on the WASM heap.
 */
import type { MjModel } from 'mujoco-js';
import { mujoco } from './runtime.js';

interface Entry {
  model: MjModel;
  refs: number;
}

const cache = new Map<string, Entry>();
let fileCounter = 0;

/** The compiled model for `name` + `xml`, compiled on first use. */
export function acquireModel(name: string, xml: string): MjModel {
  const key = `${name}\u0000${xml}`;
  const hit = cache.get(key);
  if (hit) {
    hit.refs++;
    return hit.model;
  }
  const mj = mujoco();
  const path = `/sr2l-${name}-${fileCounter++}.xml`;
  mj.FS.writeFile(path, xml);
  let model: MjModel;
  try {
    model = mj.MjModel.loadFromXML(path);
  } catch (e) {
    throw new Error(`MuJoCo failed to compile the '${name}' model: ${String(e)}`, { cause: e });
  } finally {
    mj.FS.unlink(path);
  }
  cache.set(key, { model, refs: 1 });
  return model;
}

/** Drops one reference; frees the model when none are left. */
export function releaseModel(model: MjModel): void {
  for (const [key, entry] of cache) {
    if (entry.model !== model) continue;
    if (--entry.refs === 0) {
      cache.delete(key);
      model.delete();
    }
    return;
  }
}

/** Number of distinct compiled models alive (for leak tests). */
export function liveModelCount(): number {
  return cache.size;
}
