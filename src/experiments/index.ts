/** Sweeps of training runs (`sr2l sweep`): config validation, the run plan and the runner. */
export {
  ALGORITHMS,
  type Algorithm,
  ConfigError,
  type Setting,
  type SweepConfig,
  type TrainOptions,
  loadSweepConfig,
  validateSweepConfig,
} from './config.js';
export { type PlannedRun, STEPS_FLAG, optionArgs, planSweep } from './plan.js';
export {
  type SweepEvent,
  type SweepOptions,
  type SweepStatus,
  type SweepSummary,
  runSweep,
} from './sweep.js';
export { formatDuration, formatEvent, formatStatus } from './progress.js';
export { type RunIdentity, readRunIdentity } from './run-files.js';
export { type SweepTask, planTasks, taskRuns } from './tasks.js';
export { type SlurmOptions, SlurmOptionError, parseSlurmOptions } from './slurm/options.js';
export { sbatchScript } from './slurm/script.js';
export { prepareSlurmSweep, readJobs, resubmitTasks, submitSlurmSweep } from './slurm/submit.js';
export { type TaskSummary, runTask } from './slurm/task.js';
export { type RunState, type RunStatus, formatSweepState, sweepState } from './slurm/status.js';
