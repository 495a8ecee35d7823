/** `sr2l plot` and `sr2l report`: figures and the Markdown report of a sweep folder. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { FigureSize } from './figures.js';
import { type SweepFigure, writeSweepFigures } from './figure-set.js';
import { buildReport } from './markdown.js';
import { type FinalWeight, loadSweepResults } from './sweep-data.js';

export * from './stats.js';
export * from './figures.js';
export * from './aggregate.js';
export * from './claims.js';
export { ReportInputError } from './report-input-error.js';
export { renderSvg, svgToPng, writeFigure, type WrittenFigure } from './render.js';
export {
  FIGURE_KINDS,
  type FigureKind,
  type SweepFigure,
  figureName,
  writeSweepFigures,
} from './figure-set.js';
export { buildReport, fmt, type ReportOptions } from './markdown.js';
export {
  type CurvePoint,
  EPISODE_COUNT_COLUMNS,
  FINAL_WEIGHTS,
  type FinalWeight,
  type LoadSweepOptions,
  RETURN_COLUMNS,
  type RunResult,
  type SweepResults,
  finalReturn,
  loadSweepResults,
  parseCsv,
  readCurve,
} from './sweep-data.js';

export interface SweepReportOptions {
  /** default `<sweepDir>/report` */
  outDir?: string;
  metric?: string;
  /** iterations averaged into each run's final return (default 1: the last) */
  finalWindow?: number;
  /** how the window's iterations are weighed (default 'iterations') */
  finalWeight?: FinalWeight;
  size?: FigureSize;
  pngScale?: number;
  resamples?: number;
  seed?: number;
  provenance?: readonly string[];
}

/** Figures only, into `<outDir>/figures`. */
export async function plotSweep(sweepDir: string, opts: SweepReportOptions = {}): Promise<SweepFigure[]> {
  const results = await loadSweepResults(sweepDir, opts);
  const outDir = opts.outDir ?? join(sweepDir, 'report');
  return writeSweepFigures(results.runs, join(outDir, 'figures'), opts);
}

/** Figures and `<outDir>/report.md`; returns the report's path. */
export async function reportSweep(
  sweepDir: string,
  opts: SweepReportOptions = {},
): Promise<{ report: string; figures: SweepFigure[] }> {
  const results = await loadSweepResults(sweepDir, opts);
  const outDir = opts.outDir ?? join(sweepDir, 'report');
  await mkdir(outDir, { recursive: true });
  const figures = await writeSweepFigures(results.runs, join(outDir, 'figures'), opts);
  const md = buildReport(results, { ...opts, reportDir: outDir, figures });
  const report = join(outDir, 'report.md');
  await writeFileAtomic(report, new TextEncoder().encode(md));
  return { report, figures };
}
