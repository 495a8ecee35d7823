/**
 * A TRPO population raises the CPU arena's cap to what its compiled programs need (past the
 * cap tensors live on the JavaScript heap and every SIMD kernel copies them in and out);
 * the cap is never lowered, and one set with SR2L_CPU_ARENA_MB stands.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sharedArena } from '../../../src/kernels/cpu/wasm/arena.js';
import { reserveArena, trpoPopulationArenaBytes } from '../../../src/rl/population/arena-room.js';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../../src/rl/trpo/population.js';

const MiB = 2 ** 20;
let before = 0;
beforeEach(() => {
  before = sharedArena().limitBytes;
  delete process.env.SR2L_CPU_ARENA_MB;
});
afterEach(() => {
  sharedArena().limitBytes = before;
  delete process.env.SR2L_CPU_ARENA_MB;
});

it('raises the cap, never lowers it, caps the estimate at 2 GiB', () => {
  sharedArena().limitBytes = 64 * MiB;
  expect(reserveArena(100 * MiB)).toBe(100 * MiB);
  expect(reserveArena(80 * MiB)).toBe(100 * MiB);
  expect(reserveArena(5 * 2 ** 30)).toBe(2 * 2 ** 30);
  expect(sharedArena().limitBytes).toBe(2 * 2 ** 30);
});

it('leaves a cap set with SR2L_CPU_ARENA_MB alone', () => {
  sharedArena().limitBytes = 32 * MiB;
  process.env.SR2L_CPU_ARENA_MB = '32';
  expect(reserveArena(500 * MiB)).toBe(32 * MiB);
});

it('the estimate grows with members, batch and the policy widths', () => {
  const hc = trpoPopulationArenaBytes(10, 1000, [17, 64, 64, 6]);
  // measured on HalfCheetah-v2: the tracing iteration of S = 10 at batch 1000 takes 459 MiB
  expect(hc).toBeGreaterThan(459 * MiB);
  expect(trpoPopulationArenaBytes(20, 1000, [17, 64, 64, 6])).toBe(2 * hc);
  // a single run stays within the default cap's reach (measured: 45 MiB)
  expect(trpoPopulationArenaBytes(1, 1000, [17, 64, 64, 6])).toBeGreaterThan(45 * MiB);
  expect(trpoPopulationArenaBytes(1, 1000, [17, 64, 64, 6])).toBeLessThan(64 * MiB);
  expect(trpoPopulationArenaBytes(10, 1000, [111, 64, 64, 8])).toBeGreaterThan(hc);
});

it('a TRPO population on the CPU makes room for itself', async () => {
  sharedArena().limitBytes = 1024;
  const config = (seed: number) =>
    resolveConfig({ algo: 'trpo-sr', env: 'Pendulum-v1', batchSize: 48, evalEvery: 0, seed });
  const pop = await TrpoPopulation.create([0, 1].map(config));
  try {
    expect(sharedArena().limitBytes).toBe(trpoPopulationArenaBytes(2, 48, [3, 64, 64, 1]));
  } finally {
    pop.close();
  }
});
