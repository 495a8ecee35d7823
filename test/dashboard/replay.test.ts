/**
 * Replay: episode i of `sr2l eval`'s batch, recomputed by the dashboard, has exactly the
 * return eval wrote (clean and attacked), on classic control (Pendulum-v1, TRPO-SR with the
 * paper's 'mad' attack) and MuJoCo (InvertedPendulum-v5, 'random', with geom poses per step).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResponse } from '../../src/dashboard/api-types.js';
import { startDashboard, type DashboardServer } from '../../src/dashboard/server.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { evalRun, returnsOf, trainTinyMujocoRun, trainTinyRun } from './fixtures.js';
import { getJson, rawGet } from './http.js';

const temp = tempDirs('sr2l-dash-replay-');
const EPISODES = 3;
let root: string;
let server: DashboardServer;

beforeAll(async () => {
  root = await temp();
  await trainTinyRun(join(root, 'pendulum'));
  await trainTinyMujocoRun(join(root, 'mujoco'));
  server = await startDashboard({ folder: root, port: 0, pollMs: 1000 });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const replay = (run: string, attack: string, eps: number, episode: number) =>
  getJson<ReplayResponse>(
    server.url,
    `/api/replay?run=${run}&attack=${attack}&eps=${eps}&episodes=${EPISODES}&episode=${episode}`,
  );

describe('replay', () => {
  it("gives every episode the return sr2l eval reports, clean and under 'mad' (Pendulum-v1)", async () => {
    const ev = await evalRun(join(root, 'pendulum'), 'mad', '0.1', EPISODES);
    for (let i = 0; i < EPISODES; i++) {
      const r = await replay('pendulum', 'mad', 0.1, i);
      expect(r.clean.return).toBe(returnsOf(ev, 'none')[i]);
      expect(r.attacked.return).toBe(returnsOf(ev, 'mad')[i]);
      expect(r.attacked.rewards.reduce((a, b) => a + b, 0)).toBeCloseTo(r.attacked.return, 9);
      expect(r.attacked.actions).toHaveLength(r.attacked.length);
      expect(r.attacked.perturbation).toHaveLength(r.attacked.length);
      expect(Math.max(...r.attacked.perturbation)).toBeLessThanOrEqual(0.1 * (1 + 1e-6));
      expect(Math.max(...r.attacked.perturbation)).toBeGreaterThan(0.05); // PGD pushes to the ball's edge
      expect(r.clean.perturbation.every((x) => x === 0)).toBe(true);
      expect([r.geoms, r.clean.frames]).toEqual([null, null]);
    }
  });

  it("records every geom's pose per step on MuJoCo, and matches eval under 'random' (InvertedPendulum-v5)", async () => {
    const ev = await evalRun(join(root, 'mujoco'), 'random', '0.05', EPISODES);
    const r = await replay('mujoco', 'random', 0.05, 1);
    expect(r.clean.return).toBe(returnsOf(ev, 'none')[1]);
    expect(r.attacked.return).toBe(returnsOf(ev, 'random')[1]);
    expect(r.geoms!.length).toBeGreaterThan(1);
    expect(r.attacked.frames).toHaveLength(r.attacked.length + 1);
    for (const f of r.attacked.frames!) expect(f).toHaveLength(12 * r.geoms!.length);
    expect(r.dt).toBeGreaterThan(0);
  });

  it('matches eval with ε in units of the observation std (--eps-scale obs-std)', async () => {
    const ev = await evalRun(join(root, 'pendulum'), 'mad', '0.2', EPISODES, ['--eps-scale', 'obs-std']);
    const r = await getJson<ReplayResponse>(
      server.url,
      `/api/replay?run=pendulum&attack=mad&eps=0.2&episodes=${EPISODES}&episode=2&epsScale=obs-std`,
    );
    expect(r.epsScale).toBe('obs-std');
    expect(r.attacked.return).toBe(returnsOf(ev, 'mad')[2]);
    // the raw ball would give another episode
    const raw = await replay('pendulum', 'mad', 0.2, 2);
    expect(raw.attacked.return).not.toBe(r.attacked.return);
  });

  it('replays a chosen checkpoint with the return sr2l eval --iteration reports for it; the default is the newest', async () => {
    // two iterations with checkpointEvery 10: both are kept (the newest two)
    const older = await evalRun(join(root, 'pendulum'), 'mad', '0.1', EPISODES, ['--iteration', '1']);
    const r = await getJson<ReplayResponse>(
      server.url,
      `/api/replay?run=pendulum&iteration=1&attack=mad&eps=0.1&episodes=${EPISODES}&episode=0`,
    );
    expect(r.iteration).toBe(1);
    expect(r.clean.return).toBe(returnsOf(older, 'none')[0]);
    expect(r.attacked.return).toBe(returnsOf(older, 'mad')[0]);
    const newest = await replay('pendulum', 'mad', 0.1, 0);
    expect(newest.iteration).toBe(2);
    expect(newest.clean.return).not.toBe(r.clean.return);
  });

  it('names what is wrong with a request', async () => {
    const cases: [string, number, RegExp][] = [
      [
        '/api/replay?run=pendulum&attack=mad&eps=0.1&episodes=3&episode=3',
        400,
        /episode must be an integer in 0\.\.2/,
      ],
      ['/api/replay?run=pendulum&attack=bogus&eps=0.1&episodes=3', 400, /bogus/],
      ['/api/replay?run=pendulum&attack=mad&eps=-1&episodes=3', 400, /eps must be a number ≥ 0/],
      [
        '/api/replay?run=pendulum&attack=mad&eps=0.1&episodes=1000',
        400,
        /episodes must be an integer in 1\.\.100/,
      ],
      ['/api/replay?run=pendulum&attack=mad&episodes=3', 400, /missing query parameter 'eps'/],
      ['/api/replay?run=../x&attack=mad&eps=0.1&episodes=3', 403, /'\.\.'/],
      [
        '/api/replay?run=pendulum&iteration=5&attack=mad&eps=0.1&episodes=3',
        400,
        /^pendulum: no checkpoint of iteration 5; its checkpoints are of iterations 1, 2$/,
      ],
      [
        '/api/replay?run=pendulum&iteration=-1&attack=mad&eps=0.1&episodes=3',
        400,
        /iteration must be an integer ≥ 0, got -1/,
      ],
      [
        '/api/replay?run=pendulum&attack=mad&eps=0.1&episodes=3&epsScale=std',
        400,
        /epsScale must be one of raw, obs-std/,
      ],
    ];
    for (const [path, status, message] of cases) {
      const r = await rawGet(server.url, path);
      expect([path, r.status]).toEqual([path, status]);
      expect(JSON.parse(r.body).error).toMatch(message);
    }
  });
});
