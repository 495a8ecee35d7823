/** `sr2l sweep status FOLDER [--resubmit-failed]`: every run's state; resubmit what failed or never ran. */
import { parseArgs } from 'node:util';
import { formatSweepState, needsResubmit, sweepState } from '../../experiments/slurm/status.js';
import { resubmitTasks } from '../../experiments/slurm/submit.js';
import { UsageError } from '../command.js';

export async function sweepStatus(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'resubmit-failed': { type: 'boolean', default: false },
      'log-lines': { type: 'string', default: '5' },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(`sweep status: expected one sweep folder, got ${positionals.length}`);
  const lines = Number(values['log-lines']);
  if (!(Number.isInteger(lines) && lines >= 0))
    throw new UsageError(`--log-lines must be an integer ≥ 0, got '${values['log-lines']}'`);
  const state = await sweepState(positionals[0]!, lines);
  console.log(formatSweepState(state));
  if (!values['resubmit-failed']) return state.runs.some((r) => r.state === 'failed') ? 1 : 0;
  const tasks = [...new Set(state.runs.filter(needsResubmit).map((r) => r.task))];
  if (!tasks.length) {
    console.log('nothing to resubmit: every run is done, running or queued');
    return 0;
  }
  const job = await resubmitTasks(state.out, tasks);
  console.log(`resubmitted ${tasks.length} tasks as array job ${job.jobId} (tasks ${job.tasks.join(',')})`);
  return 0;
}
