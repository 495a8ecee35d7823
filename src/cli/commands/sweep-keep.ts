/** `sr2l sweep keep FOLDER [--commit]`: list (and commit) what of a sweep's finished runs goes into git. */
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
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(`sweep keep: expected one sweep folder, got ${positionals.length}`);
  const out = positionals[0]!;
  const kept = await keptRuns(out);
  if (values.list) for (const f of kept.files) console.log(f);
  // with --list, stdout is the file list alone (for `tar -T -` from the sweep folder)
  const summary = `${out}: ${kept.runs.length} finished runs, ${kept.files.length} files to keep`;
  if (values.list) console.error(summary);
  else console.log(summary);
  if (!values.commit) return 0;
  const message =
    values.message ?? `runs: keep the finished runs of sweep ${basename(out)} (${kept.runs.length} so far)`;
  const hash = await commitKeptRuns(out, message);
  console.log(hash === null ? 'nothing new to commit' : `committed ${hash.slice(0, 12)}: ${message}`);
  return 0;
}
