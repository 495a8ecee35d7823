/**
 * `sr2l sweep keep FOLDER [--unfinished] [--list] [--commit]`: list (and commit) what of a sweep's
 * finished runs (with --unfinished, also its runs still training) goes into git.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { commitKeptRuns, keptRuns } from '../../experiments/keep-runs.js';
import { UsageError } from '../command.js';

export async function sweepKeep(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      commit: { type: 'boolean', default: false },
      message: { type: 'string' },
      list: { type: 'boolean', default: false },
      unfinished: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(`sweep keep: expected one sweep folder, got ${positionals.length}`);
  const out = positionals[0]!;
  const opts = { unfinished: values.unfinished };
  const kept = await keptRuns(out, opts);
  if (values.list) for (const f of kept.files) console.log(f);
  // with --list, stdout is the file list alone (for `tar -T -` from the sweep folder)
  const say = values.list ? console.error : console.log;
  const unfinished = values.unfinished
    ? `, ${kept.unfinished.length} unfinished at their newest checkpoint`
    : '';
  say(`${out}: ${kept.runs.length} finished runs${unfinished}, ${kept.files.length} files to keep`);
  for (const { run, why } of kept.leftOut) say(`not kept: ${run} (${why})`);
  if (!values.commit) return 0;
  const message =
    values.message ??
    `runs: keep the finished runs of sweep ${basename(out)} (${kept.runs.length} so far${unfinished})`;
  const hash = await commitKeptRuns(out, message, opts);
  console.log(hash === null ? 'nothing new to commit' : `committed ${hash.slice(0, 12)}: ${message}`);
  return 0;
}
