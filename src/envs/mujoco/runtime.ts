/**
 * The MuJoCo WebAssembly module (mujoco-js), loaded once per process, worker thread or page.
 * Loading is asynchronous (the WASM binary is compiled), which is why `makeEnv` is async.
 * It is imported dynamically: mujoco-js is one 11 MB file, so a web page's bundle keeps it
 * in a chunk of its own that only a page using MuJoCo loads.
 */
import type { MainModule } from 'mujoco-js';

/** The MuJoCo version this package is built and tested against (`mj_versionString()`). */
export const EXPECTED_MUJOCO_VERSION = '3.3.8';

let loading: Promise<MainModule> | null = null;
let loaded: MainModule | null = null;

/** Loads (once) and returns the MuJoCo module; checks its version. */
export function initMujoco(): Promise<MainModule> {
  loading ??= import('mujoco-js').then(async ({ default: loadMujoco }) => {
    const mj = await loadMujoco();
    const v = mj.mj_versionString();
    if (v !== EXPECTED_MUJOCO_VERSION) {
      // A different build may change the numbers silently; say so once, do not refuse.
      const warning = `sr2l: mujoco-js reports MuJoCo ${v}; tested with ${EXPECTED_MUJOCO_VERSION}`;
      const node = (globalThis as { process?: { emitWarning?(w: string): void } }).process;
      if (node?.emitWarning) node.emitWarning(warning);
      else console.warn(warning);
    }
    loaded = mj;
    return mj;
  });
  return loading;
}

/** The loaded module; throws if `initMujoco()` has not completed. */
export function mujoco(): MainModule {
  if (loaded === null) throw new Error('MuJoCo is not loaded yet: await initMujoco() (or makeEnv) first');
  return loaded;
}

/** `mj_versionString()` of the loaded module. */
export function mujocoVersion(): string {
  return mujoco().mj_versionString();
}
