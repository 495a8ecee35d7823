/**
 * The per-run files the page asks for, read from a run folder the request named: the CSV
 * logs (tolerantly, see csv-table.ts) and `sr2l eval`'s eval/robustness.json. The run id is
 * resolved through safe-path.ts, so a request cannot read outside the dashboard's folder.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROGRESS } from '../experiments/run-files.js';
import type { RobustnessResult } from '../rl/robustness/evaluate.js';
import type { RunRobustness, RobustnessResponse, RunSummary, TableResponse } from './api-types.js';
import { readTable } from './discover.js';
import { HttpError, resolveInside } from './safe-path.js';

export const LOG_FILES = { progress: PROGRESS, grads: 'grads.csv' } as const;

export async function runTable(
  root: string,
  run: string,
  which: keyof typeof LOG_FILES,
): Promise<TableResponse> {
  const dir = await resolveInside(root, run);
  const file = LOG_FILES[which];
  return { run, file, table: await readTable(join(dir, file), `${run}/${file}`) };
}

/** One run's eval/robustness.json, reduced to what the figures use. */
export async function runRobustness(root: string, run: string): Promise<RunRobustness> {
  const path = join(await resolveInside(root, run), 'eval', 'robustness.json');
  let res: RobustnessResult;
  try {
    res = JSON.parse(await readFile(path, 'utf8')) as RobustnessResult;
  } catch (e) {
    throw new HttpError(422, `${run}/eval/robustness.json: unreadable (${(e as Error).message})`);
  }
  if (!Array.isArray(res.rows) || !Array.isArray(res.smoothness))
    throw new HttpError(
      422,
      `${run}/eval/robustness.json: no 'rows' and 'smoothness' arrays (not sr2l eval output?)`,
    );
  return {
    run,
    epsScale: String(res.epsScale),
    rows: res.rows.map((r) => ({ attack: r.attack, eps: r.eps, mean: r.mean, episodes: r.episodes })),
    smoothness: res.smoothness.map((s) => ({ eps: s.eps, lipschitzMean: s.lipschitzMean })),
  };
}

/** The robustness results of every run that has them; a bad file is a problem, not a failure. */
export async function allRobustness(root: string, runs: readonly RunSummary[]): Promise<RobustnessResponse> {
  const out: RobustnessResponse = { runs: [], problems: [] };
  for (const r of runs.filter((x) => x.hasRobustness))
    try {
      out.runs.push(await runRobustness(root, r.id));
    } catch (e) {
      out.problems.push((e as Error).message);
    }
  return out;
}
