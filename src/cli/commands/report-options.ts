/** Options shared by `sr2l plot` and `sr2l report`. */
import { FINAL_WEIGHTS, type SweepReportOptions } from '../../report/index.js';
import { version } from '../../version.js';
import { ReportInputError } from '../../report/report-input-error.js';
import { UsageError, choice } from '../command.js';

export const REPORT_FLAGS = {
  out: { type: 'string' },
  metric: { type: 'string' },
  'final-window': { type: 'string', default: '1' },
  'final-weight': { type: 'string', default: 'iterations' },
  width: { type: 'string', default: '560' },
  height: { type: 'string', default: '360' },
  scale: { type: 'string', default: '2' },
} as const;

export const REPORT_FLAGS_HELP = `  --out DIR       output folder (default SWEEP_DIR/report)
  --metric COL    progress.csv column of the return (default: the first of AverageReturn,
                  Evaluation/AverageReturn, average_return, ... that exists)
  --final-window K  a run's final return = mean over its last K iterations (default 1)
  --final-weight iterations|episodes
                  iterations (default): each of the K iterations' average returns counts
                  once, as in the learning curves; episodes: the mean over all their
                  episodes (each iteration weighted by NumEpisodes), so a batch that held
                  one long episode counts as one episode
  --width W --height H   figure size in CSS pixels (default 560 × 360)
  --scale S       PNG pixels per CSS pixel (default 2)`;

function posNumber(flag: string, v: string): number {
  const x = Number(v);
  if (!(Number.isFinite(x) && x > 0)) throw new UsageError(`--${flag} must be a number > 0, got '${v}'`);
  return x;
}

export function reportOptions(v: {
  out?: string;
  metric?: string;
  'final-window': string;
  'final-weight': string;
  width: string;
  height: string;
  scale: string;
}): SweepReportOptions {
  return {
    ...(v.out ? { outDir: v.out } : {}),
    ...(v.metric ? { metric: v.metric } : {}),
    finalWindow: posInt('final-window', v['final-window']),
    finalWeight: choice('final-weight', v['final-weight'], FINAL_WEIGHTS),
    size: { width: posNumber('width', v.width), height: posNumber('height', v.height) },
    pngScale: posNumber('scale', v.scale),
  };
}

function posInt(flag: string, v: string): number {
  const x = Number(v);
  if (!(Number.isInteger(x) && x > 0)) throw new UsageError(`--${flag} must be an integer > 0, got '${v}'`);
  return x;
}

/** A report input the user can fix (ReportInputError) is a usage error (exit 2), not a crash. */
export async function asUsageError<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(e.message);
    throw e;
  }
}

/** The bootstrap and provenance flags of `sr2l report` and `sr2l report frontier`. */
export const BOOTSTRAP_FLAGS = {
  resamples: { type: 'string', default: '10000' },
  seed: { type: 'string', default: '0' },
  note: { type: 'string', multiple: true, default: [] as string[] },
} as const;

/** Checked bootstrap settings, and the report header's lines: the sr2l version and time, then each --note. */
export function bootstrapOptions(v: { resamples: string; seed: string; note: string[] }): {
  resamples: number;
  seed: number;
  provenance: string[];
} {
  const resamples = Number(v.resamples);
  const seed = Number(v.seed);
  if (!(Number.isInteger(resamples) && resamples > 0))
    throw new UsageError(`--resamples must be a positive integer, got '${v.resamples}'`);
  if (!(Number.isInteger(seed) && seed >= 0))
    throw new UsageError(`--seed must be an integer ≥ 0, got '${v.seed}'`);
  return {
    resamples,
    seed,
    provenance: [`sr2l ${version}, generated ${new Date().toISOString()}`, ...v.note],
  };
}
