/** A run folder's progress.csv rows without the timing columns (the only ones that differ between equal runs). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/rl/run/csv-log.js';

export function rowsWithoutTimes(dir: string): Record<string, number>[] {
  return parseCsv(readFileSync(join(dir, 'progress.csv'), 'utf8')).map((r) => {
    const { TimeSampling: _a, TimeOptimize: _b, UpdatesPerSecond: _c, ...rest } = r;
    return rest;
  });
}
