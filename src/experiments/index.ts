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
