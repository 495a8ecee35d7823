/**
 * Finds the runs under the dashboard's folder and summarizes each for the runs table. A run
 * folder holds config.json (sr2l train), sweep-run.json (a sweep) or progress.csv; the walk
 * does not descend into one, nor into checkpoints/, eval/, hidden folders or symbolic links
 * (a link could lead outside the folder). Nothing here throws for a bad file: it becomes one
 * of the run's `problems` and the table shows it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PROGRESS, RUN_DONE, RUN_INFO, exists, readRunIdentity } from '../experiments/run-files.js';
import { RETURN_COLUMNS } from '../report/sweep-data.js';
import { checkpointsOnDisk } from '../rl/run/checkpoint.js';
import { column, parseCsvTable, type CsvTable } from './csv-table.js';
import type { RunState, RunSummary, RunsResponse, SettingValue } from './api-types.js';

const RUN_MARKERS = ['config.json', RUN_INFO, PROGRESS];
const SKIP = new Set(['checkpoints', 'eval', 'node_modules']);
/** deeper folders are not searched (a sweep is <env>/<algo>/<setting>/seed-<n>) */
const MAX_DEPTH = 8;
/** a run whose progress.csv changed this recently is shown as running */
export const RUNNING_WINDOW_MS = 120_000;

/** Relative ids ('/'-separated; '.' for the folder itself) of the run folders under `root`. */
export async function findRuns(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string[], depth: number): Promise<void> => {
    const dir = join(root, ...rel);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // removed while walking, or unreadable: not a run
    }
    if (entries.some((e) => e.isFile() && RUN_MARKERS.includes(e.name))) {
      found.push(rel.length ? rel.join('/') : '.');
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })))
      if (e.isDirectory() && !e.isSymbolicLink() && !SKIP.has(e.name) && !e.name.startsWith('.'))
        await walk([...rel, e.name], depth + 1);
  };
  await walk([], 0);
  return found;
}

async function readJson(path: string, problems: string[]): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      problems.push(`${basename(path)}: unreadable (${(e as Error).message})`);
    return null;
  }
}

const scalar = (v: unknown): SettingValue =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as SettingValue) : JSON.stringify(v);

/** config.json's settings (sr2l train nests them under 'config'), else the sweep's options. */
function settingsOf(config: Record<string, unknown> | null, sweepRun: Record<string, unknown> | null) {
  const src =
    (config && typeof config.config === 'object' && config.config !== null
      ? (config.config as Record<string, unknown>)
      : config) ??
    (sweepRun?.options as Record<string, unknown> | undefined) ??
    {};
  return Object.fromEntries(Object.entries(src).map(([k, v]) => [k, scalar(v)]));
}

/** The iterations of the run's checkpoint folders, oldest first ([] when unreadable). */
const checkpointsOf = (dir: string): Promise<number[]> =>
  checkpointsOnDisk(dir).then(
    (its) => its.reverse(),
    () => [],
  );

/** Reads a run's progress.csv tolerantly; null when there is none. */
export async function readTable(path: string, source: string): Promise<CsvTable | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { header: [], rows: [], problems: [`${source}: unreadable (${(e as Error).message})`] };
  }
  return parseCsvTable(text, source);
}

function lastFinite(xs: readonly number[] | undefined): number | null {
  for (let i = (xs?.length ?? 0) - 1; i >= 0; i--) if (Number.isFinite(xs![i])) return xs![i]!;
  return null;
}

/** One run's row of the table (group and differing are filled in by summarizeRuns). */
export async function summarizeRun(root: string, id: string, now = Date.now()): Promise<RunSummary> {
  const dir = id === '.' ? root : join(root, ...id.split('/'));
  const problems: string[] = [];
  let identity = { env: '?', algo: '?', seed: NaN };
  try {
    identity = await readRunIdentity(dir);
  } catch (e) {
    if (await exists(join(dir, 'config.json')).then((c) => c || exists(join(dir, RUN_INFO))))
      problems.push((e as Error).message.replace(dir, id));
  }
  const config = await readJson(join(dir, 'config.json'), problems);
  const sweepRun = await readJson(join(dir, RUN_INFO), problems);
  const table = await readTable(join(dir, PROGRESS), PROGRESS);
  problems.push(...(table?.problems ?? []));
  const returnColumn = RETURN_COLUMNS.find((c) => table?.header.includes(c)) ?? null;
  const rows = table?.rows.length ?? 0;
  const settings = settingsOf(config, sweepRun);
  const planned = typeof settings.iterations === 'number' ? settings.iterations : null;
  let state: RunState;
  if (problems.length && rows === 0) state = 'broken';
  else if ((await exists(join(dir, RUN_DONE))) || (planned !== null && rows >= planned)) state = 'finished';
  else if (rows === 0) state = 'empty';
  else {
    const mtime = (await stat(join(dir, PROGRESS)).catch(() => null))?.mtimeMs ?? 0;
    state = now - mtime < RUNNING_WINDOW_MS ? 'running' : 'stopped';
  }
  return {
    id,
    ...identity,
    setting: typeof sweepRun?.setting === 'string' ? sweepRun.setting : null,
    settings,
    differing: {},
    group: '',
    state,
    returnColumn,
    finalReturn: table && returnColumn ? lastFinite(column(table, returnColumn)) : null,
    iterations: (table && lastFinite(column(table, 'Iteration'))) ?? rows,
    envSteps: table ? lastFinite(column(table, 'EnvSteps')) : null,
    hasGrads: await exists(join(dir, 'grads.csv')),
    hasRobustness: await exists(join(dir, 'eval', 'robustness.json')),
    checkpoints: await checkpointsOf(dir),
    problems,
  };
}

/** Settings that never define a group: the identity columns and where the run was written. */
const NOT_GROUPING = new Set(['env', 'envId', 'algo', 'algorithm', 'seed', 'out', 'iterations']);

/**
 * Fills in each run's differing settings and group: runs of one env and algorithm that share
 * every differing setting (or the sweep's setting name) are seeds of one group.
 */
export function assignGroups(runs: RunSummary[]): void {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))].filter(
    (k) => !NOT_GROUPING.has(k) && new Set(runs.map((r) => JSON.stringify(r.settings[k] ?? null))).size > 1,
  );
  for (const r of runs) {
    r.differing = Object.fromEntries(keys.map((k) => [k, r.settings[k] ?? null]));
    const detail = r.setting ?? keys.map((k) => `${k}=${String(r.settings[k] ?? '–')}`).join(' ');
    r.group = `${r.env} · ${r.algo}${detail ? ` [${detail}]` : ''}`;
  }
}

export async function summarizeRuns(root: string): Promise<RunsResponse> {
  const ids = await findRuns(root);
  const runs = await Promise.all(ids.map((id) => summarizeRun(root, id)));
  assignGroups(runs);
  return {
    folder: basename(root),
    runs,
    problems: ids.length
      ? []
      : ['no run folders found (a run holds config.json, sweep-run.json or progress.csv)'],
  };
}
