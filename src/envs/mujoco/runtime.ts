/**
 * The MuJoCo WebAssembly module (mujoco-js), loaded once per process or worker thread.
 * Loading is asynchronous (the WASM binary is compiled), which is why `makeEnv` is async.
 */
import loadMujoco, { type MainModule } from 'mujoco-js';

/** The MuJoCo version this package is built and tested against (`mj_versionString()`). */
export const EXPECTED_MUJOCO_VERSION = '3.3.8';

let loading: Promise<MainModule> | null = null;
let loaded: MainModule | null = null;

/** Loads (once) and returns the MuJoCo module; checks its version. */
export function initMujoco(): Promise<MainModule> {
  loading ??= loadMujoco().then((mj) => {
    const v = mj.mj_versionString();
    if (v !== EXPECTED_MUJOCO_VERSION) {
      // A different build may change the numbers silently; say so once, do not refuse.
      process.emitWarning(`sr2l: mujoco-js reports MuJoCo ${v}; tested with ${EXPECTED_MUJOCO_VERSION}`);
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
