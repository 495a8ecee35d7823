/**
 * The dashboard server against fixture folders: every endpoint, what it refuses (paths that
 * leave the folder by '..', absolute paths, symbolic links pointing out, writes), malformed
 * and half-written files reported rather than fatal, and a server-sent event when a run's
 * progress.csv grows.
 */
import { appendFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GraphResponse,
  RobustnessResponse,
  RunsResponse,
  TableResponse,
} from '../../src/dashboard/api-types.js';
import { startDashboard, type DashboardServer } from '../../src/dashboard/server.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import {
  ALGOS,
  ITERATIONS,
  SEEDS,
  fixtureReturn,
  runId,
  trainTinyRun,
  writeBrokenRun,
  writeSweep,
} from './fixtures.js';
import { getJson, rawGet, waitForEvent } from './http.js';

const temp = tempDirs('sr2l-dash-');
let root: string;
let outside: string;
let server: DashboardServer;
const errors: string[] = [];

beforeAll(async () => {
  root = await temp();
  outside = await temp('sr2l-dash-outside-');
  await writeSweep(join(root, 'sweep'));
  await writeBrokenRun(join(root, 'broken'));
  await trainTinyRun(join(root, 'tiny'));
  await writeFile(join(outside, 'secret.txt'), 'not for the dashboard');
  await writeFile(join(outside, 'progress.csv'), 'Iteration,AverageReturn\n1,1\n');
  await symlink(outside, join(root, 'link-out'));
  await symlink(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
  server = await startDashboard({ folder: root, port: 0, pollMs: 50, log: (m) => errors.push(m) });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('dashboard server', () => {
  it('binds to 127.0.0.1 by default and serves the page and its bundle', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await rawGet(server.url, '/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.body).toContain('<script type="module" src="/app.js">');
    const app = await rawGet(server.url, '/app.js');
    expect(app.status).toBe(200);
    expect(app.type).toMatch(/javascript/);
    expect(app.body.length).toBeGreaterThan(1000);
    console.log(`dashboard bundle: ${(Buffer.byteLength(app.body) / 1024).toFixed(1)} KiB (minified)`);
    // the replay imports mujoco-js from the server, not from the bundle
    expect(app.body).toContain('"/mujoco.js"');
    const mujoco = await rawGet(server.url, '/mujoco.js');
    expect(mujoco.status).toBe(200);
    expect(mujoco.type).toMatch(/javascript/);
    expect(mujoco.body.length).toBeGreaterThan(5_000_000);
    // the page's own files only; eval for the engine's kernels and mujoco-js's bindings
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy');
    expect(csp).toMatch(/default-src 'none'; script-src 'self' 'unsafe-eval';/);
  });

  it('/api/runs lists every run with its identity, group, state, final return and problems', async () => {
    const { runs, folder } = await getJson<RunsResponse>(server.url, '/api/runs');
    expect(folder).not.toContain('/');
    const ids = runs.map((r) => r.id).sort();
    const expected = [
      ...ALGOS.flatMap((a) => SEEDS.map((s) => `sweep/${runId(a, s)}`)),
      'broken',
      'tiny',
    ].sort();
    expect(ids).toEqual(expected);
    const r = runs.find((x) => x.id === `sweep/${runId('trpo-sr', 2)}`)!;
    expect(r).toMatchObject({
      env: 'Pendulum-v1',
      algo: 'trpo-sr',
      seed: 2,
      setting: 'default',
      state: 'finished',
    });
    expect(r.finalReturn).toBe(fixtureReturn('trpo-sr', 2, ITERATIONS));
    expect(r.iterations).toBe(ITERATIONS);
    expect(r.envSteps).toBe(ITERATIONS * 1000);
    expect(r.hasRobustness).toBe(true);
    // the two algorithms are two groups of three seeds
    const sweepRuns = runs.filter((x) => x.id.startsWith('sweep/'));
    expect(new Set(sweepRuns.map((x) => x.group)).size).toBe(2);
    const tiny = runs.find((x) => x.id === 'tiny')!;
    expect(tiny).toMatchObject({ algo: 'trpo-sr', hasGrads: true, iterations: 2, state: 'finished' });
    expect(tiny.checkpoints).toContain(2);
    const broken = runs.find((x) => x.id === 'broken')!;
    expect(broken.problems.join('\n')).toMatch(/config\.json: unreadable/);
    expect(broken.problems.join('\n')).toMatch(/last line is incomplete/);
    expect(broken.iterations).toBe(1);
    // a run reached only through a symbolic link is not listed
    expect(ids.some((id) => id.startsWith('link-out'))).toBe(false);
  });

  it("/api/progress and /api/grads return the run's tables; a half-written row is left out and reported", async () => {
    const p = await getJson<TableResponse>(
      server.url,
      `/api/progress?run=${encodeURIComponent(`sweep/${runId('trpo', 1)}`)}`,
    );
    expect(p.table!.header).toEqual(['Iteration', 'EnvSteps', 'AverageReturn', 'MeanKL']);
    expect(p.table!.rows.map((r) => r[2])).toEqual([1, 2, 3, 4, 5].map((i) => fixtureReturn('trpo', 1, i)));
    const b = await getJson<TableResponse>(server.url, '/api/progress?run=broken');
    expect(b.table!.rows).toEqual([[1, 100, -5]]);
    expect(b.table!.problems[0]).toMatch(/incomplete/);
    const g = await getJson<TableResponse>(server.url, '/api/grads?run=tiny');
    expect(g.table!.header[0]).toBe('Iteration');
    expect(g.table!.header.some((h) => h.startsWith('surrogate/'))).toBe(true);
    expect(g.table!.header.some((h) => h.startsWith('regularizer/'))).toBe(true);
    expect(g.table!.rows).toHaveLength(2);
    const none = await getJson<TableResponse>(
      server.url,
      `/api/grads?run=${encodeURIComponent(`sweep/${runId('trpo', 0)}`)}`,
    );
    expect(none.table).toBeNull();
  });

  it('/api/robustness returns every evaluated run', async () => {
    const r = await getJson<RobustnessResponse>(server.url, '/api/robustness');
    expect(r.runs).toHaveLength(6);
    expect(r.runs[0]!.rows.map((x) => x.attack)).toEqual(['none', 'mad']);
    expect(r.runs[0]!.smoothness[0]!.eps).toBe(0.1);
  });

  it('/api/graph rebuilds the loss graph of a checkpoint with gradient norms and value histograms', async () => {
    const g = await getJson<GraphResponse>(server.url, '/api/graph?run=tiny&iteration=2');
    expect(Number.isFinite(g.loss)).toBe(true);
    expect(g.nodes.length).toBeGreaterThan(10);
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const [a, b] of g.edges) expect(ids.has(a) && ids.has(b)).toBe(true);
    const named = g.nodes.filter((n) => n.name);
    expect(named.map((n) => n.name)).toEqual(
      expect.arrayContaining(['surrogate', 'regularizer', 'loss', 'logStd']),
    );
    for (const n of g.nodes) {
      const size = n.shape.reduce((a, b) => a * b, 1);
      expect(n.values!.bins.reduce((a, b) => a + b, 0)).toBe(size);
      expect(n.values!.min).toBeLessThanOrEqual(n.values!.max);
    }
    expect(g.nodes.filter((n) => n.gradNorm !== undefined).length).toBeGreaterThan(5);
  });

  it('answers a bad checkpoint or run with a message, and keeps serving', async () => {
    const missing = await rawGet(server.url, '/api/graph?run=tiny&iteration=7');
    expect(missing.status).toBe(422);
    expect(JSON.parse(missing.body).error).toMatch(/checkpoint 7.*does not exist/);
    const notTrpo = await rawGet(
      server.url,
      `/api/graph?run=${encodeURIComponent('sweep/' + runId('trpo', 0))}&iteration=1`,
    );
    expect(notTrpo.status).toBe(422);
    expect((await rawGet(server.url, '/api/graph?run=tiny&iteration=x')).status).toBe(400);
    expect((await rawGet(server.url, '/api/progress')).body).toMatch(/missing query parameter 'run'/);
    expect((await rawGet(server.url, '/api/progress?run=nope')).status).toBe(404);
    expect((await rawGet(server.url, '/no/such/page')).status).toBe(404);
    await mkdir(join(root, 'bad-eval', 'eval'), { recursive: true });
    await writeFile(join(root, 'bad-eval', 'progress.csv'), 'Iteration,AverageReturn\n1,2\n');
    await writeFile(join(root, 'bad-eval', 'eval', 'robustness.json'), '{"rows": 3');
    const r = await getJson<RobustnessResponse>(server.url, '/api/robustness');
    expect(r.problems.join('\n')).toMatch(/bad-eval\/eval\/robustness\.json: unreadable/);
    expect(r.runs).toHaveLength(6);
    expect(errors).toEqual([]);
    expect((await rawGet(server.url, '/api/runs')).status).toBe(200);
  });

  it('serves files inside the folder and refuses traversal, absolute paths and links out', async () => {
    const ok = await rawGet(server.url, `/files/sweep/${runId('trpo', 0)}/progress.csv`);
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain/);
    expect(ok.body.split('\n')[0]).toBe('Iteration,EnvSteps,AverageReturn,MeanKL');
    const refused: [string, number, RegExp][] = [
      ['/files/../../../../etc/passwd', 403, /'\.\.'/],
      ['/files/sweep/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 403, /'\.\.'/],
      ['/files//etc/passwd', 403, /absolute/],
      ['/files/%2Fetc%2Fpasswd', 403, /absolute/],
      ['/files/link-out/secret.txt', 403, /outside/],
      ['/files/secret-link.txt', 403, /outside/],
      ['/files/sweep\\..\\x', 400, /backslash/],
      ['/files/a%00b', 400, /NUL/],
      ['/files/%E0%A4%A', 400, /percent-encoding/],
      ['/api/progress?run=..', 403, /'\.\.'/],
      ['/api/progress?run=%2Fetc', 403, /absolute/],
      ['/api/progress?run=link-out', 403, /outside/],
      ['/api/graph?run=../x&iteration=1', 403, /'\.\.'/],
    ];
    for (const [path, status, message] of refused) {
      const r = await rawGet(server.url, path);
      expect([path, r.status]).toEqual([path, status]);
      expect(JSON.parse(r.body).error).toMatch(message);
      expect(r.body).not.toContain('not for the dashboard');
    }
  });

  it('serves a single run folder too (its id is ".")', async () => {
    const one = await startDashboard({ folder: join(root, 'tiny'), port: 0 });
    try {
      const { runs } = await getJson<RunsResponse>(one.url, '/api/runs');
      expect(runs.map((r) => [r.id, r.algo, r.iterations])).toEqual([['.', 'trpo-sr', 2]]);
      const p = await getJson<TableResponse>(one.url, '/api/progress?run=.');
      expect(p.table!.rows).toHaveLength(2);
      expect((await rawGet(one.url, '/api/progress?run=..')).status).toBe(403);
    } finally {
      await one.close();
    }
  });

  it('is read-only (HEAD answers without a body)', async () => {
    const head = await rawGet(server.url, '/api/runs', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await rawGet(server.url, '/api/runs', method);
      expect(r.status).toBe(405);
      expect(JSON.parse(r.body).error).toMatch(/read-only/);
    }
  });

  it('sends a server-sent event when a progress.csv grows, and when a run appears', async () => {
    const id = `sweep/${runId('trpo', 2)}`;
    const e = await waitForEvent(
      server.url,
      '/api/events',
      (type) => type === 'progress',
      () => appendFile(join(root, id, 'progress.csv'), `6,6000,-100,0.001\n`),
    );
    expect(JSON.parse(e.data)).toEqual({ type: 'progress', run: id });
    const p = await getJson<TableResponse>(server.url, `/api/progress?run=${encodeURIComponent(id)}`);
    expect(p.table!.rows).toHaveLength(6);
    const added = await waitForEvent(
      server.url,
      '/api/events',
      (type) => type === 'runs',
      async () => {
        await mkdir(join(root, 'new-run'));
        await writeFile(join(root, 'new-run', 'progress.csv'), 'Iteration,AverageReturn\n');
      },
    );
    expect(added.type).toBe('runs');
  });
});
