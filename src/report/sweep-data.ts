/**
 * Reads what a sweep folder holds for the report: the run list (sweep.json), each run's
 * learning curve (progress.csv) and, when `sr2l eval` ran in it, its robustness results
 * (eval/robustness.json). A run's variant is its algorithm, plus the setting when the
 * sweep has more than one.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlannedRun } from '../experiments/plan.js';
import { PROGRESS, RUN_DONE, SWEEP_INDEX, exists } from '../experiments/run-files.js';
import type { RobustnessResult } from '../rl/robustness/evaluate.js';
import { meanOf } from './stats.js';
import { ReportInputError } from './report-input-error.js';

/** Column names a trainer may use for the average episode return (garage, SB3, ours). */
export const RETURN_COLUMNS = [
  'AverageReturn',
  'Evaluation/AverageReturn',
  'average_return',
  'return_mean',
  'episode_return_mean',
  'rollout/ep_rew_mean',
] as const;
const ITERATION_COLUMNS = ['Iteration', 'iteration', 'itr', 'Epoch', 'epoch'];
/** Column names for the number of episodes an iteration's average return is over (ours and garage's; older garage). */
export const EPISODE_COUNT_COLUMNS = ['NumEpisodes', 'NumTrajs'] as const;

export interface CurvePoint {
  iteration: number;
  value: number;
  /** how many episodes `value` averages, where progress.csv says */
  episodes?: number;
}

/**
 * How a run's final return weighs the iterations of its window. `iterations`: the mean of
 * their average returns, each iteration counting once (the paper's curves). `episodes`: the
 * mean over all the window's episodes, each iteration's average weighted by its episode
 * count, so an iteration whose batch held one long episode counts as one episode, not as ten
 * (on Ant-v2 long, costly episodes otherwise dominate; docs/results/2026-12-02-claims).
 */
export type FinalWeight = 'iterations' | 'episodes';
export const FINAL_WEIGHTS: readonly FinalWeight[] = ['iterations', 'episodes'];

export interface LoadSweepOptions {
  /** progress.csv column of the return (default: the first of RETURN_COLUMNS present) */
  metric?: string;
  /** iterations averaged into a run's final return (default 1: the last) */
  finalWindow?: number;
  /** default 'iterations' */
  finalWeight?: FinalWeight;
}

export interface RunResult {
  id: string;
  dir: string;
  env: string;
  algo: string;
  setting: string;
  seed: number;
  variant: string;
  /** the trainer's options the sweep gave this run (its settings included) */
  options: Readonly<Record<string, unknown>>;
  finished: boolean;
  curve: CurvePoint[];
  /** the mean return of the last finalWindow logged iterations, weighed by finalWeight (null before the first one) */
  final: number | null;
  robustness: RobustnessResult | null;
}

export interface SweepResults {
  name: string;
  dir: string;
  runs: RunResult[];
  metric: string;
  /** iterations averaged into a run's final return */
  finalWindow: number;
  finalWeight: FinalWeight;
}

export function parseCsv(text: string, source: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`${source}: empty file, expected a header line`);
  const header = lines[0]!.split(',').map((h) => h.trim());
  const rows = lines.slice(1).map((l, i) => {
    const r = l.split(',');
    if (r.length !== header.length)
      throw new Error(`${source}: line ${i + 2} has ${r.length} fields, the header has ${header.length}`);
    return r;
  });
  return { header, rows };
}

/**
 * The learning curve of one progress.csv; `metric` picks the column (default: the first of
 * RETURN_COLUMNS present). Each point carries its episode count when a column of
 * EPISODE_COUNT_COLUMNS is there.
 */
export function readCurve(
  text: string,
  source: string,
  metric?: string,
): { metric: string; curve: CurvePoint[] } {
  const { header, rows } = parseCsv(text, source);
  const col = metric ?? RETURN_COLUMNS.find((c) => header.includes(c));
  const j = col === undefined ? -1 : header.indexOf(col);
  if (j < 0)
    throw new ReportInputError(
      `${source}: no ${metric ? `'${metric}'` : 'return'} column; columns: ${header.join(', ')}${metric ? '' : `; looked for ${RETURN_COLUMNS.join(', ')} (choose one with --metric)`}`,
    );
  const it = header.findIndex((h) => ITERATION_COLUMNS.includes(h));
  const n = header.findIndex((h) => (EPISODE_COUNT_COLUMNS as readonly string[]).includes(h));
  const curve = rows.map((r, i): CurvePoint => {
    const value = Number(r[j]);
    if (!Number.isFinite(value))
      throw new ReportInputError(`${source}: line ${i + 2}: '${col}' is '${r[j]}', not a number`);
    const point: CurvePoint = { iteration: it >= 0 ? Number(r[it]) : i, value };
    const episodes = n >= 0 && r[n]!.trim() !== '' ? Number(r[n]) : undefined;
    if (episodes !== undefined) {
      if (!(Number.isInteger(episodes) && episodes >= 0))
        throw new ReportInputError(
          `${source}: line ${i + 2}: '${header[n]}' is '${r[n]}', not a count of episodes`,
        );
      point.episodes = episodes;
    }
    return point;
  });
  return { metric: col!, curve };
}

/**
 * Reads a sweep folder. A run's final return is the mean of its last `finalWindow`
 * logged values (1: the last iteration's; more smooths the noise of one batch), weighed as
 * `finalWeight` says.
 */
export async function loadSweepResults(dir: string, opts: LoadSweepOptions = {}): Promise<SweepResults> {
  const { metric, finalWindow = 1, finalWeight = 'iterations' } = opts;
  if (!(Number.isInteger(finalWindow) && finalWindow >= 1))
    throw new RangeError(`finalWindow must be an integer ≥ 1, got ${finalWindow}`);
  if (!FINAL_WEIGHTS.includes(finalWeight))
    throw new RangeError(
      `finalWeight must be one of ${FINAL_WEIGHTS.join(', ')}, got '${String(finalWeight)}'`,
    );
  const indexFile = join(dir, SWEEP_INDEX);
  let index: { config: { name: string }; runs: PlannedRun[] };
  try {
    index = JSON.parse(await readFile(indexFile, 'utf8')) as typeof index;
  } catch (e) {
    throw new ReportInputError(
      `${dir}: not a sweep folder (cannot read ${SWEEP_INDEX}: ${(e as Error).message})`,
      {
        cause: e,
      },
    );
  }
  const settings = new Set(index.runs.map((r) => r.setting));
  let usedMetric = metric ?? '';
  const runs: RunResult[] = [];
  for (const r of index.runs) {
    let curve: CurvePoint[] = [];
    // the run's folder inside this sweep folder (its id is that relative path), not the
    // absolute path the sweep recorded: the folder may have been moved or copied since
    const runDir = join(dir, r.id);
    const progress = join(runDir, PROGRESS);
    if (await exists(progress)) {
      const c = readCurve(await readFile(progress, 'utf8'), progress, metric);
      curve = c.curve;
      usedMetric ||= c.metric;
    }
    const evalFile = join(runDir, 'eval', 'robustness.json');
    const robustness = (await exists(evalFile))
      ? (JSON.parse(await readFile(evalFile, 'utf8')) as RobustnessResult)
      : null;
    runs.push({
      id: r.id,
      dir: runDir,
      env: r.env,
      algo: r.algo,
      setting: r.setting,
      seed: r.seed,
      variant: settings.size > 1 ? `${r.algo} [${r.setting}]` : r.algo,
      options: r.options ?? {},
      finished: await exists(join(runDir, RUN_DONE)),
      curve,
      final: curve.length ? finalReturn(curve, finalWindow, finalWeight, progress) : null,
      robustness,
    });
  }
  return {
    name: index.config.name,
    dir,
    runs,
    metric: usedMetric || RETURN_COLUMNS[0],
    finalWindow,
    finalWeight,
  };
}

/** The final return of one curve: its last `k` points, weighed as `weight` says (`source` names the file in errors). */
export function finalReturn(
  curve: readonly CurvePoint[],
  k: number,
  weight: FinalWeight,
  source: string,
): number {
  const window = curve.slice(-k);
  if (weight === 'iterations') return meanOf(window.map((p) => p.value));
  let total = 0;
  let episodes = 0;
  for (const p of window) {
    if (p.episodes === undefined)
      throw new ReportInputError(
        `${source}: no episode count for iteration ${p.iteration}, which a final return weighed by episodes needs (a column ${EPISODE_COUNT_COLUMNS.join(' or ')})`,
      );
    total += p.value * p.episodes;
    episodes += p.episodes;
  }
  if (episodes === 0)
    throw new ReportInputError(
      `${source}: the last ${k} iterations finished no episode, so there is no return to weigh`,
    );
  return total / episodes;
}
