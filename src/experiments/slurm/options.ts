/**
 * The options of `sr2l sweep --executor slurm`, checked before anything is written or
 * submitted: every error names the flag, the value and the form Slurm accepts (sbatch(1)).
 */

export interface SlurmOptions {
  partition?: string;
  /** Slurm's time limit text, as given (e.g. `2:00:00`, `1-12`) */
  time?: string;
  cpusPerTask: number;
  /** Slurm's memory text, as given (e.g. `4G`, `2000M`) */
  mem?: string;
  /** the array's `%N`: tasks running at once (absent: as many as Slurm allows) */
  maxParallel?: number;
  /** seconds before the time limit at which Slurm sends SIGUSR2 (checkpoint and requeue) */
  signalLead: number;
  /** further sbatch options, one per entry, passed through as `#SBATCH` lines */
  sbatchArgs: string[];
}

export class SlurmOptionError extends Error {
  override name = 'SlurmOptionError';
}

/** The raw flag values, as strings (the CLI's parseArgs). */
export interface SlurmFlags {
  partition?: string;
  time?: string;
  'cpus-per-task'?: string;
  mem?: string;
  'max-parallel'?: string;
  'signal-lead'?: string;
  'sbatch-arg'?: string[];
}

export const SLURM_FLAGS = [
  'partition',
  'time',
  'cpus-per-task',
  'mem',
  'max-parallel',
  'signal-lead',
  'sbatch-arg',
] as const;

/** Default warning before the time limit: longer than one iteration of the paper's settings. */
export const DEFAULT_SIGNAL_LEAD = 300;

/** sbatch options the executor sets itself, and the flag to use instead where there is one. */
const RESERVED: Record<string, string> = {
  '--array': 'the executor sets it (use --max-parallel for %N)',
  '-a': 'the executor sets --array (use --max-parallel for %N)',
  '--output': 'the executor sets it (logs go to <out>/slurm/logs/)',
  '-o': 'the executor sets --output (logs go to <out>/slurm/logs/)',
  '--error': 'the executor sends stderr to the --output file',
  '-e': 'the executor sends stderr to the --output file',
  '--open-mode': 'the executor appends to the log across requeues',
  '--chdir': 'the executor runs tasks in the folder you submit from',
  '-D': 'the executor runs tasks in the folder you submit from',
  '--signal': 'use --signal-lead',
  '--requeue': 'the executor sets it',
  '--no-requeue': 'a preempted or timed-out task must be able to come back',
  '--parsable': 'the executor reads the job id itself',
  '--wrap': 'the executor writes the script',
  '--partition': 'use --partition',
  '-p': 'use --partition',
  '--time': 'use --time',
  '-t': 'use --time',
  '--mem': 'use --mem',
  '--cpus-per-task': 'use --cpus-per-task',
  '-c': 'use --cpus-per-task',
};

/** Seconds in a Slurm time limit (`M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`), or null when it is not one. */
export function slurmSeconds(text: string): number | null {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (!m) return null;
  const [, d, a, b, c] = m;
  const n = (x: string | undefined): number => (x === undefined ? 0 : Number(x));
  if (d !== undefined) return n(d) * 86400 + n(a) * 3600 + n(b) * 60 + n(c); // D-H[:M[:S]]
  if (c !== undefined) return n(a) * 3600 + n(b) * 60 + n(c); // H:M:S
  return n(a) * 60 + n(b); // M or M:S
}

export function parseSlurmOptions(flags: SlurmFlags): SlurmOptions {
  const fail = (msg: string): never => {
    throw new SlurmOptionError(msg);
  };
  const posInt = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    return /^\d+$/.test(text.trim()) && n > 0
      ? n
      : fail(`--${flag} must be a positive integer, got '${text}'`);
  };
  const { partition, time, mem } = flags;
  if (partition !== undefined && !/^[\w.-]+(,[\w.-]+)*$/.test(partition))
    fail(`--partition must be a partition name (or a comma-separated list), got '${partition}'`);
  let seconds: number | null = null;
  if (time !== undefined) {
    seconds = slurmSeconds(time);
    if (seconds === null || seconds === 0)
      fail(`--time must be a Slurm time limit (minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S), got '${time}'`);
  }
  if (mem !== undefined && !/^\d+[KMGT]?$/.test(mem))
    fail(`--mem must be a size in megabytes or with a unit K, M, G or T (e.g. 4G), got '${mem}'`);
  const signalLead = posInt('signal-lead', flags['signal-lead']) ?? DEFAULT_SIGNAL_LEAD;
  if (seconds !== null && signalLead >= seconds)
    fail(
      `--signal-lead ${signalLead} s must be shorter than --time ${time} (${seconds} s): the task is warned that long before its time limit`,
    );
  const sbatchArgs = flags['sbatch-arg'] ?? [];
  for (const arg of sbatchArgs) {
    if (!/^-/.test(arg) || /\s/.test(arg))
      fail(`--sbatch-arg takes one sbatch option without spaces (e.g. --sbatch-arg=--qos=low), got '${arg}'`);
    const name = arg.split('=')[0]!;
    const short = /^-[a-zA-Z]/.test(arg) && !arg.startsWith('--') ? arg.slice(0, 2) : name;
    const why = RESERVED[name] ?? RESERVED[short];
    if (why) fail(`--sbatch-arg '${arg}': ${why}`);
  }
  return {
    ...(partition !== undefined ? { partition } : {}),
    ...(time !== undefined ? { time } : {}),
    cpusPerTask: posInt('cpus-per-task', flags['cpus-per-task']) ?? 1,
    ...(mem !== undefined ? { mem } : {}),
    ...(flags['max-parallel'] !== undefined
      ? { maxParallel: posInt('max-parallel', flags['max-parallel']) }
      : {}),
    signalLead,
    sbatchArgs,
  };
}
