/**
 * Room in the CPU backend's WebAssembly arena (kernels/cpu/wasm/arena.ts) for a population's
 * compiled programs. The arena's default cap (64 MiB) holds a single run's tensors, but a
 * TRPO-SR population of 10 seeds at batch 1000 keeps about 83 MiB live (its programs'
 * buffers) and its first, tracing iteration leaves about 460 MiB of intermediates that only
 * garbage collection returns (the arena's memory is invisible to V8's heap accounting, so
 * collection comes late). Past the cap new tensors go to the JavaScript heap, programs traced
 * late (the Fisher products) plan their buffers there, and every SIMD kernel call then copies
 * its operands into the arena and its result back (measured at S = 10 on HalfCheetah-v2:
 * 1.86 CPU s per iteration with the default cap, 1.55 with this one, docs/population.md).
 * The numbers do not change (the same kernels run on the copies); only the copies go.
 */
import { sharedArena } from '../../kernels/cpu/wasm/arena.js';

/** Beyond this the caller's estimate is not trusted (a 32-bit WebAssembly memory holds 4 GiB). */
const MOST_BYTES = 2 * 2 ** 30;
/**
 * Float32 values per state, member and policy width unit (obs + hidden + actions) that a
 * TRPO-SR population's tracing iteration allocates, measured on HalfCheetah-v2 (S = 2, 10;
 * batch 500, 1000: 76) and Ant-v2 (S = 4: 80), with headroom.
 */
const VALUES_PER_STATE_AND_WIDTH = 96;

/**
 * Arena bytes a TRPO population of `s` members needs for `batch` states through a policy of
 * these widths (a single run's fit the default cap: S = 1 at batch 1000 on HalfCheetah-v2
 * takes 45 MiB, and reserveArena never lowers the cap).
 */
export function trpoPopulationArenaBytes(s: number, batch: number, widths: readonly number[]): number {
  const width = widths.reduce((a, w) => a + w, 0);
  return s * batch * width * VALUES_PER_STATE_AND_WIDTH * 4;
}

/**
 * Raises the CPU arena's cap to `bytes` (at most 2 GiB; never lowers it). A cap set with
 * SR2L_CPU_ARENA_MB stands: the user chose it. Returns the cap in force.
 */
export function reserveArena(bytes: number): number {
  const arena = sharedArena();
  const fromEnv = globalThis.process?.env?.SR2L_CPU_ARENA_MB;
  if (fromEnv === undefined || fromEnv === '')
    arena.limitBytes = Math.max(arena.limitBytes, Math.min(Math.ceil(bytes), MOST_BYTES));
  return arena.limitBytes;
}
