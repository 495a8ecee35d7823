/**
 * What of a sweep's finished runs goes into version control, so that another machine can
 * clone the repository and carry on: `sr2l sweep` skips a run whose sweep-done.json is there,
 * and `eval`, `report` and `plot` read the rest. Per finished run: sweep-run.json,
 * config.json, progress.csv, sweep-done.json, the newest checkpoint (latest.json and its
 * folder; not DDPG's replay segments, which only an unfinished run needs) and any eval/
 * results; per sweep, sweep.json and the populations' population.json. Logs and older
 * checkpoints stay out, and so does the checkpoint's batch.safetensors (a finished TRPO run
 * is ~2 MB on disk, ~60 kB of it kept).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CHECKPOINTS, LATEST, checkpointName, latestIteration } from '../rl/run/checkpoint-layout.js';
import { FAILED_RECORD } from '../rl/population/train-population.js';
import { PROGRESS, RUN_DONE, RUN_INFO, SWEEP_INDEX, exists } from './run-files.js';

const run = promisify(execFile);

/**
 * The last policy step's inputs, which only `sr2l inspect` and the dashboard's loss graph
 * read: two thirds of a TRPO checkpoint (130 of 190 kB at batch 1200), so not kept.
 */
const INSPECT_BATCH = 'batch.safetensors';

/** DDPG's replay buffer, below CHECKPOINTS: what an unfinished DDPG run needs to resume */
const REPLAY = 'replay';

export interface KeptRuns {
  /** run folders holding sweep-done.json, relative to the sweep folder */
  runs: string[];
  /** with `unfinished`: runs kept at their newest checkpoint, relative to the sweep folder */
  unfinished: string[];
  /** with `unfinished`: runs with a checkpoint that are not kept, and why */
  leftOut: { run: string; why: string }[];
  /** the files to keep, relative to the sweep folder */
  files: string[];
}

export interface KeepOptions {
  /** also keep runs still training, at their newest checkpoint */
  unfinished?: boolean;
}

/** Every file below `dir` (relative to `root`); [] when `dir` does not exist. */
async function filesBelow(root: string, dir: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(root, path)));
    else if (entry.isFile()) out.push(relative(root, path));
  }
  return out;
}

/** The folders below `dir` that hold a file named `marker` (not looking inside checkpoints). */
async function foldersWith(dir: string, marker: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found = entries.some((e) => e.isFile() && e.name === marker) ? [dir] : [];
  for (const e of entries) {
    if (e.isDirectory() && e.name !== CHECKPOINTS)
      found.push(...(await foldersWith(join(dir, e.name), marker)));
  }
  return found;
}

/** The files of one run folder to keep, relative to `root`. */
async function runFiles(root: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of [RUN_INFO, 'config.json', PROGRESS, RUN_DONE, FAILED_RECORD]) {
    if (await exists(join(dir, name))) files.push(relative(root, join(dir, name)));
  }
  const latest = join(dir, CHECKPOINTS, LATEST);
  if (await exists(latest)) {
    const iteration = latestIteration(await readFile(latest, 'utf8'), latest);
    files.push(relative(root, latest));
    const kept = await filesBelow(root, join(dir, CHECKPOINTS, checkpointName(iteration)));
    files.push(...kept.filter((f) => basename(f) !== INSPECT_BATCH));
  }
  files.push(...(await filesBelow(root, join(dir, 'eval'))));
  return files;
}

/**
 * Why the unfinished run in `dir` cannot be kept so that it resumes elsewhere, or null: its
 * replay buffer would be needed, or latest.json names no checkpoint folder here (copied from a
 * sweep still training, the two can disagree).
 */
async function notResumable(dir: string): Promise<string | null> {
  if (await exists(join(dir, CHECKPOINTS, REPLAY))) return 'its resume needs the replay buffer, not kept';
  const latest = join(dir, CHECKPOINTS, LATEST);
  let iteration: number;
  try {
    iteration = latestIteration(await readFile(latest, 'utf8'), latest);
  } catch (e) {
    return (e as Error).message;
  }
  const folder = join(CHECKPOINTS, checkpointName(iteration));
  return (await exists(join(dir, folder))) ? null : `its newest checkpoint ${folder} is missing`;
}

/** The finished runs of the sweep folder `out` (with `unfinished`, the others too) and their files to keep. */
export async function keptRuns(out: string, opts: KeepOptions = {}): Promise<KeptRuns> {
  if (!(await exists(join(out, SWEEP_INDEX))))
    throw new Error(`${out} is not a sweep folder (it has no ${SWEEP_INDEX})`);
  const done = (await foldersWith(out, RUN_DONE)).sort();
  const files = [SWEEP_INDEX];
  for (const dir of await foldersWith(out, 'population.json'))
    files.push(relative(out, join(dir, 'population.json')));
  for (const dir of done) files.push(...(await runFiles(out, dir)));
  const unfinished: string[] = [];
  const leftOut: KeptRuns['leftOut'] = [];
  if (opts.unfinished) {
    const finished = new Set(done);
    for (const dir of (await foldersWith(out, RUN_INFO)).sort()) {
      if (finished.has(dir) || !(await exists(join(dir, CHECKPOINTS, LATEST)))) continue;
      const why = await notResumable(dir);
      if (why !== null) {
        leftOut.push({ run: relative(out, dir), why });
        continue;
      }
      unfinished.push(relative(out, dir));
      files.push(...(await runFiles(out, dir)));
    }
  }
  return {
    runs: done.map((d) => relative(out, d)),
    unfinished,
    leftOut,
    files: [...new Set(files)].sort(),
  };
}

/** Runs git in `top` over `paths` in chunks (a big sweep's paths overflow one command line). */
async function gitChunked(
  top: string,
  args: string[],
  paths: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  let stdout = '';
  for (let i = 0; i < paths.length; i += 500)
    stdout += (await run('git', ['-C', top, ...args, '--', ...paths.slice(i, i + 500)], { env })).stdout;
  return stdout;
}

/**
 * Commits the kept files of `out` (forced: run folders are usually ignored) and untracks the
 * older checkpoints of the kept runs, in a commit of its own whatever else is staged: the
 * commit is built in a temporary index from HEAD, then the real index takes those paths from
 * the new HEAD. Returns the commit's hash, or null when nothing changed.
 */
export async function commitKeptRuns(
  out: string,
  message: string,
  opts: KeepOptions = {},
): Promise<string | null> {
  const kept = await keptRuns(out, opts);
  const abs = resolve(out);
  const git = async (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> =>
    (await run('git', ['-C', abs, ...args], { env })).stdout.trim();
  const top = await git(['rev-parse', '--show-toplevel']);
  const gitDir = resolve(abs, await git(['rev-parse', '--git-dir']));
  const index = join(gitDir, `sr2l-keep-${process.pid}.index`);
  const env = { ...process.env, GIT_INDEX_FILE: index };
  const paths = kept.files.map((f) => relative(top, join(abs, f)));
  const checkpointFolders = [...kept.runs, ...kept.unfinished].map((r) =>
    relative(top, join(abs, r, CHECKPOINTS)),
  );
  try {
    await git(['read-tree', 'HEAD'], env);
    await gitChunked(top, ['add', '-f'], paths, env);
    const keep = new Set(paths);
    const stale = (await gitChunked(top, ['ls-files'], checkpointFolders, env))
      .split('\n')
      .filter((f) => f !== '' && !keep.has(f));
    if (stale.length > 0) await gitChunked(top, ['rm', '--cached', '--quiet'], stale, env);
    if ((await git(['diff', '--cached', '--name-only'], env)) === '') return null;
    await git(['commit', '--quiet', '-m', message], env);
    await gitChunked(top, ['reset', '--quiet'], [...paths, ...stale]);
    return await git(['rev-parse', 'HEAD']);
  } finally {
    await rm(index, { force: true });
  }
}
