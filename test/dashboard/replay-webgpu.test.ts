/**
 * The replay on the WebGPU backend (the page's WebGPU choice: withReplayBackend with sr2l's
 * WebGPU backend; here Dawn under Node, since headless Chromium has no adapter): the agent
 * and the episodes run on the GPU, and the returns match sr2l eval's (CPU) within float32
 * rounding (measured: relative differences of about 1e-7). Skipped loudly without an adapter; fails under REQUIRE_WEBGPU=1.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withReplayBackend } from '../../src/dashboard/app/replay-backend.js';
import { checkReplayOptions, replayEpisodes } from '../../src/dashboard/replay-episodes.js';
import { loadAgent } from '../../src/rl/robustness/index.js';
import { getDefaultBackend } from '../../src/autograd/index.js';
import { acquireWebGPU, suiteTitle } from '../kernels/webgpu/acquire.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { evalRun, returnsOf, trainTinyRun } from './fixtures.js';

const acquired = await acquireWebGPU();
const temp = tempDirs('sr2l-dash-replay-webgpu-');
const EPISODES = 2;

describe.skipIf(!acquired.gpu)(suiteTitle('replay on WebGPU', acquired), () => {
  it("gives sr2l eval's returns within float32 rounding, computed on the GPU (Pendulum-v1, 'random')", async () => {
    const gpu = acquired.gpu!;
    const dir = join(await temp(), 'pendulum');
    await trainTinyRun(dir);
    const ev = await evalRun(dir, 'random', '0.1', EPISODES);
    const cpu = getDefaultBackend();
    const before = gpu.stats().dispatches;
    for (let i = 0; i < EPISODES; i++) {
      const settings = checkReplayOptions({ attack: 'random', eps: 0.1, episodes: EPISODES, episode: i }, 1);
      const r = await withReplayBackend(gpu, async () =>
        replayEpisodes(await loadAgent(dir, 'trpo-sr'), 'pendulum', 2, 'Pendulum-v1', settings, 'gpu'),
      );
      for (const [got, want] of [
        [r.clean.return, returnsOf(ev, 'none')[i]!],
        [r.attacked.return, returnsOf(ev, 'random')[i]!],
      ] as const)
        expect(Math.abs(got - want)).toBeLessThan(1e-5 * Math.abs(want));
    }
    expect(gpu.stats().dispatches).toBeGreaterThan(before);
    // the engine's default is back on the CPU
    expect(getDefaultBackend()).toBe(cpu);
  }, 60_000);
});
