/**
 * With BENCH_BASELINE: whether this tree's kernels give the baseline checkout's bits. Each
 * DDPG variant runs 100 updates eagerly, compiled and compiled+fused with each checkout's
 * own modules (the compiled-update tests' learners, settings and batches), and every
 * network parameter and optimizer moment afterwards is hashed. A kernel change that is
 * meant to be faster and nothing else must leave every hash as it was: the results of
 * runs already made, and runs resumed across the change, depend on it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sr from '../../src/index.js';
import type { DdpgAlgo } from '../../src/rl/ddpg/config.js';
import type { BatchTensors, DdpgLearner, UpdateSettings } from '../../src/rl/ddpg/update.js';
import { ALGOS } from '../ddpg/setup.js';

interface Checkout {
  sr: typeof Sr;
  ddpgUpdate: (l: DdpgLearner, b: BatchTensors, s: UpdateSettings) => unknown;
  learner: () => DdpgLearner;
  settings: (algo: DdpgAlgo) => UpdateSettings;
  batch: (g: Sr.Generator) => BatchTensors;
}

async function load(root: string): Promise<Checkout> {
  const load = (path: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(join(root, path)).href) as Promise<Record<string, unknown>>;
  const [sr, update, fixture] = await Promise.all([
    load('src/index.ts'),
    load('src/rl/ddpg/update.ts'),
    load('test/rl/ddpg/update-fixture.ts'),
  ]);
  return { sr: sr as unknown as typeof Sr, ...update, ...fixture } as unknown as Checkout;
}

const MODES = ['eager', 'compiled', 'fused'] as const;

/** A hash of every parameter and moment after 100 updates, per variant and mode. */
function fingerprints(c: Checkout, updates: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const algo of ALGOS)
    for (const mode of MODES) {
      const l = c.learner();
      const s = c.settings(algo);
      const f = (b: BatchTensors): unknown => c.ddpgUpdate(l, b, s);
      const step = mode === 'eager' ? f : c.sr.compile(f, { fuse: mode === 'fused' });
      const data = c.sr.rng(5);
      for (let i = 0; i < updates; i++) step(c.batch(data));
      const h = createHash('sha256');
      const add = (t: Sr.Tensor): void =>
        void h.update(new Uint8Array(Float32Array.from(t.dataSync()).buffer));
      for (const m of [l.actor, l.critic, l.targetActor, l.targetCritic]) m.parameters().forEach(add);
      for (const o of [l.actorOpt, l.criticOpt]) [...o.stateDict().tensors.values()].forEach(add);
      out.set(`${algo} ${mode}`, h.digest('hex'));
    }
  return out;
}

/**
 * The variants and modes whose results differ from the baseline checkout's (empty: the same
 * bits), or why they could not be compared (a checkout without test/, as `git archive src
 * bench` makes).
 */
export async function differencesFromBaseline(dir: string, updates = 100): Promise<string[] | string> {
  const fixture = join(dir, 'test/rl/ddpg/update-fixture.ts');
  if (!existsSync(fixture)) return `not compared: the baseline checkout has no ${fixture}`;
  const here = fingerprints(await load(join(import.meta.dirname, '../..')), updates);
  const there = fingerprints(await load(dir), updates);
  return [...here].filter(([k, h]) => there.get(k) !== h).map(([k]) => k);
}
