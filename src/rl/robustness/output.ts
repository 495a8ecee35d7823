/**
 * `eval/robustness.csv`, `eval/smoothness.csv` and `eval/robustness.json` in a run folder.
 * The CSVs hold one row per (attack, ε) / per ε; the JSON also holds the settings, the
 * observation std and every episode return. Files are written atomically.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { RobustnessResult, RobustnessRow, SmoothnessRow } from './evaluate.js';

export const ROBUSTNESS_COLUMNS = [
  'attack',
  'eps',
  'eps_scale',
  'stochastic',
  'episodes',
  'mean',
  'std',
  'median',
  'min',
  'max',
  'delta_linf_mean',
  'delta_linf_max',
  'delta_l2_mean',
  'wall_seconds',
] as const;

export const SMOOTHNESS_COLUMNS = [
  'eps',
  'eps_scale',
  'states',
  'lipschitz_mean',
  'lipschitz_p95',
  'mad_divergence_mean',
] as const;

export function toCsv(
  columns: readonly string[],
  rows: readonly (readonly (string | number | boolean)[])[],
): string {
  return [columns.join(','), ...rows.map((r) => r.map(String).join(','))].join('\n') + '\n';
}

function robustnessLine(res: RobustnessResult, r: RobustnessRow): (string | number | boolean)[] {
  return [
    r.attack,
    r.eps,
    res.epsScale,
    res.stochastic,
    r.episodes,
    r.mean,
    r.std,
    r.median,
    r.min,
    r.max,
    r.deltaLinfMean,
    r.deltaLinfMax,
    r.deltaL2Mean,
    r.wallSeconds,
  ];
}

function smoothnessLine(res: RobustnessResult, r: SmoothnessRow): (string | number)[] {
  return [r.eps, res.epsScale, r.states, r.lipschitzMean, r.lipschitzP95, r.madDivergenceMean];
}

export interface WrittenEval {
  csv: string;
  smoothnessCsv: string;
  json: string;
}

/** Writes the three files into `dir` (a run's `eval/` folder). */
export async function writeRobustness(
  dir: string,
  res: RobustnessResult,
  meta: Record<string, unknown> = {},
): Promise<WrittenEval> {
  await mkdir(dir, { recursive: true });
  const out = {
    csv: join(dir, 'robustness.csv'),
    smoothnessCsv: join(dir, 'smoothness.csv'),
    json: join(dir, 'robustness.json'),
  };
  const enc = new TextEncoder();
  await writeFileAtomic(
    out.csv,
    enc.encode(
      toCsv(
        ROBUSTNESS_COLUMNS,
        res.rows.map((r) => robustnessLine(res, r)),
      ),
    ),
  );
  await writeFileAtomic(
    out.smoothnessCsv,
    enc.encode(
      toCsv(
        SMOOTHNESS_COLUMNS,
        res.smoothness.map((r) => smoothnessLine(res, r)),
      ),
    ),
  );
  await writeFileAtomic(out.json, enc.encode(JSON.stringify({ ...meta, ...res }, null, 2) + '\n'));
  return out;
}
