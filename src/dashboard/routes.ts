/**
 * The dashboard's endpoints. Every one is a GET that reads; each answers JSON, or an error
 * as JSON {error} with its status, so a bad file shows up in the page and never stops the
 * server.
 *   /                        the page          /app.js               its bundle
 *   /api/runs                the runs table    /api/progress?run=ID  a run's progress.csv
 *   /api/grads?run=ID        grads.csv         /api/robustness       every run's eval results
 *   /api/graph?run=ID&iteration=K             the policy-loss graph of checkpoint K
 *   /api/replay?run=ID&attack=A&eps=E&episodes=N[&iteration=K&episode=I&seed=S&stochastic=1&epsScale=obs-std]
 *                            episode I of sr2l eval's batch, clean and attacked, step by step,
 *                            with checkpoint K (default the newest)
 *   /api/events              server-sent events (live.ts)
 *   /files/PATH              a file inside the folder, as plain text / bytes (never as a page)
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { appBundle, MUJOCO_URL, mujocoFile } from './bundle.js';
import { summarizeRuns } from './discover.js';
import { checkpointGraph } from './graph.js';
import { servedPage } from './page.js';
import type { EpsScale } from '../rl/robustness/index.js';
import { replay } from './replay.js';
import { allRobustness, runTable } from './run-data.js';
import { HttpError, resolveInside } from './safe-path.js';

export interface RouteContext {
  root: string;
  /** the query is read from here; its pathname is normalized ('..' removed), so never used for files */
  url: URL;
  /** the path exactly as requested (still percent-encoded) */
  rawPath: string;
}

export interface Reply {
  status?: number;
  type: string;
  body: string | Uint8Array;
}

const json = (data: unknown): Reply => ({
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(data),
});

function param(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (v === null || v === '') throw new HttpError(400, `missing query parameter '${name}'`);
  return v;
}

/** Largest file /files/ serves: the dashboard is for logs and small results, not checkpoints' bulk. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const ROUTES: Record<string, (c: RouteContext) => Promise<Reply>> = {
  '/': async () => ({ type: 'text/html; charset=utf-8', body: servedPage() }),
  '/app.js': async () => ({ type: 'text/javascript; charset=utf-8', body: await appBundle() }),
  // the replay's MuJoCo: the mujoco-js package's own file, loaded by the page on first use
  [MUJOCO_URL]: async () => ({ type: 'text/javascript; charset=utf-8', body: await readFile(mujocoFile()) }),
  '/api/runs': async ({ root }) => json(await summarizeRuns(root)),
  '/api/progress': async ({ root, url }) => json(await runTable(root, param(url, 'run'), 'progress')),
  '/api/grads': async ({ root, url }) => json(await runTable(root, param(url, 'run'), 'grads')),
  '/api/robustness': async ({ root }) => json(await allRobustness(root, (await summarizeRuns(root)).runs)),
  '/api/replay': async ({ root, url }) => {
    const num = (name: string, fallback?: number): number => {
      const v = url.searchParams.get(name);
      if (v === null || v === '') {
        if (fallback === undefined) throw new HttpError(400, `missing query parameter '${name}'`);
        return fallback;
      }
      return Number(v);
    };
    const seed = url.searchParams.get('seed');
    const iteration = url.searchParams.get('iteration');
    return json(
      await replay(root, param(url, 'run'), {
        ...(iteration ? { iteration: Number(iteration) } : {}),
        attack: param(url, 'attack'),
        eps: num('eps'),
        episodes: num('episodes'),
        episode: num('episode', 0),
        ...(seed ? { seed: Number(seed) } : {}),
        stochastic: url.searchParams.get('stochastic') === '1',
        epsScale: (url.searchParams.get('epsScale') ?? 'raw') as EpsScale,
      }),
    );
  },
  '/api/graph': async ({ root, url }) =>
    json(await checkpointGraph(root, param(url, 'run'), Number(param(url, 'iteration')))),
};

/** /files/PATH: the bytes of a regular file inside the folder. */
export async function fileRoute({ root, rawPath }: RouteContext): Promise<Reply> {
  let rel: string;
  try {
    rel = decodeURIComponent(rawPath.slice('/files/'.length));
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
  const path = await resolveInside(root, rel);
  const s = await stat(path);
  if (!s.isFile()) throw new HttpError(404, `'${rel}' is not a file`);
  if (s.size > MAX_FILE_BYTES)
    throw new HttpError(413, `'${rel}' is ${s.size} bytes; the limit is ${MAX_FILE_BYTES}`);
  const text = /\.(csv|json|txt|log|md)$/i.test(rel);
  return {
    type: text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
    body: await readFile(path),
  };
}

/**
 * Headers on every answer: nothing read from a run folder can run as script in this origin
 * (only the page's own script files run: no inline script, no other origin). 'unsafe-eval'
 * is there for the replay's engine, not for data: sr2l's CPU kernels compile their loops
 * with `new Function` from the op definitions in its source, mujoco-js's bindings (embind)
 * build their call wrappers the same way, and both compile WebAssembly.
 */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self' 'unsafe-eval'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  );
  res.setHeader('Cache-Control', 'no-store');
}
