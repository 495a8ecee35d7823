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
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CHECKPOINTS, LATEST, checkpointName, latestIteration } from '../rl/run/checkpoint-layout.js';
import { PROGRESS, RUN_DONE, RUN_INFO, SWEEP_INDEX, exists } from './run-files.js';

const run = promisify(execFile);

/**
 * The last policy step's inputs, which only `sr2l inspect` and the dashboard's loss graph
 * read: two thirds of a TRPO checkpoint (130 of 190 kB at batch 1200), so not kept.
 */
const INSPECT_BATCH = 'batch.safetensors';

export interface KeptRuns {
  /** run folders holding sweep-done.json, relative to the sweep folder */
  runs: string[];
  /** the files to keep, relative to the sweep folder */
  files: string[];
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

/** The files of one finished run folder to keep, relative to `root`. */
async function runFiles(root: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of [RUN_INFO, 'config.json', PROGRESS, RUN_DONE]) {
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

/** The finished runs of the sweep folder `out` and the files of theirs to keep. */
export async function keptRuns(out: string): Promise<KeptRuns> {
  if (!(await exists(join(out, SWEEP_INDEX))))
    throw new Error(`${out} is not a sweep folder (it has no ${SWEEP_INDEX})`);
  const done = (await foldersWith(out, RUN_DONE)).sort();
  const files = [SWEEP_INDEX];
  for (const dir of await foldersWith(out, 'population.json'))
    files.push(relative(out, join(dir, 'population.json')));
  for (const dir of done) files.push(...(await runFiles(out, dir)));
  return { runs: done.map((d) => relative(out, d)), files: [...new Set(files)].sort() };
}

/**
 * Adds the kept files of `out` to git (forced: run folders are usually ignored) and commits
 * them alone, whatever else is staged. Returns the commit's hash, or null when nothing changed.
 */
export async function commitKeptRuns(out: string, message: string): Promise<string | null> {
  const { files } = await keptRuns(out);
  const abs = resolve(out);
  const top = (await run('git', ['-C', abs, 'rev-parse', '--show-toplevel'])).stdout.trim();
  const paths = files.map((f) => relative(top, join(abs, f)));
  // in chunks: a big sweep's paths overflow one command line
  for (let i = 0; i < paths.length; i += 500)
    await run('git', ['-C', top, 'add', '-f', '--', ...paths.slice(i, i + 500)]);
  const staged = (
    await run('git', ['-C', top, 'diff', '--cached', '--name-only', '--', ...paths])
  ).stdout.trim();
  if (staged === '') return null;
  await run('git', ['-C', top, 'commit', '--quiet', '-m', message, '--', ...paths]);
  return (await run('git', ['-C', top, 'rev-parse', 'HEAD'])).stdout.trim();
}
