/**
 * With BENCH_BASELINE=<another checkout> (its own node_modules linked in, e.g. `git worktree
 * add --detach /tmp/base <commit>` plus `cp -al node_modules`): seconds per TRPO-SR
 * population iteration of that checkout against this tree, each population in a process of
 * its own (standalone.ts), as a sweep runs them: in one process every population and trainer
 * of a tree would share one WebAssembly arena and one heap. The two trees' processes
 * alternate, round by round, so machine load hits both alike; medians of every timed
 * iteration.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '../../src/report/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const thisTree = resolve(here, '../..');

export interface BaselineRow {
  S: number;
  workers: number;
  baseline: { wall: number; cpu: number };
  now: { wall: number; cpu: number };
}

const median = (xs: readonly number[]): number => percentile(xs, 0.5);

/** One standalone population run of `tree`: its timed iterations' wall and CPU seconds. */
function standalone(tree: string, args: string[]): { wall: number[]; cpu: number[] } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'standalone.ts'), `--tree=${tree}`, ...args],
    {
      cwd: thisTree,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0)
    throw new Error(
      `bench/population: standalone run of ${tree} failed (${r.status}): ${r.stderr.slice(-2000)}`,
    );
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { wall: number[]; cpu: number[] };
}

export function baselineRows(
  dir: string,
  opts: { sizes: number[]; workers: number[]; steps: number; rounds: number; env: string },
): BaselineRow[] {
  const rows: BaselineRow[] = [];
  for (const s of opts.sizes)
    for (const w of opts.workers) {
      const args = [`--seeds=${s}`, `--workers=${w}`, `--steps=${opts.steps}`, `--env=${opts.env}`];
      const base = { wall: [] as number[], cpu: [] as number[] };
      const now = { wall: [] as number[], cpu: [] as number[] };
      for (let r = 0; r < opts.rounds; r++)
        // alternate which tree goes first, so neither always runs after the other
        for (const [tree, into] of r % 2 === 0
          ? ([
              [dir, base],
              [thisTree, now],
            ] as const)
          : ([
              [thisTree, now],
              [dir, base],
            ] as const)) {
          const got = standalone(tree, args);
          into.wall.push(...got.wall);
          into.cpu.push(...got.cpu);
        }
      rows.push({
        S: s,
        workers: w,
        baseline: { wall: median(base.wall), cpu: median(base.cpu) },
        now: { wall: median(now.wall), cpu: median(now.cpu) },
      });
      console.error(
        `TRPO-SR baseline S=${s} workers=${w}: baseline ${median(base.wall).toFixed(2)} s, now ${median(now.wall).toFixed(2)} s`,
      );
    }
  return rows;
}
