/** Every figure of a sweep: per env, learning curves, percentiles, robustness and smoothness (when evaluated). */
import {
  envsOf,
  learningPoints,
  percentilePoints,
  robustnessCurves,
  robustnessPoints,
  smoothnessPoints,
} from './aggregate.js';
import {
  DEFAULT_SIZE,
  type FigureSize,
  learningCurveSpec,
  percentileSpec,
  robustnessSpec,
  smoothnessSpec,
} from './figures.js';
import { type WrittenFigure, writeFigure } from './render.js';
import type { RunResult } from './sweep-data.js';
import type { TopLevelSpec } from 'vega-lite';

export const FIGURE_KINDS = ['learning', 'percentiles', 'robustness', 'smoothness'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export interface SweepFigure extends WrittenFigure {
  env: string;
  kind: FigureKind;
  title: string;
}

/** The file-name stem of a figure: `Hopper-v2-robustness`. */
export const figureName = (env: string, kind: FigureKind): string => `${env}-${kind}`;

export async function writeSweepFigures(
  runs: readonly RunResult[],
  dir: string,
  opts: { size?: FigureSize; pngScale?: number } = {},
): Promise<SweepFigure[]> {
  const size = opts.size ?? DEFAULT_SIZE;
  const curves = robustnessCurves(runs);
  const out: SweepFigure[] = [];
  for (const env of envsOf(runs)) {
    const epsScale = [
      ...new Set(runs.flatMap((r) => (r.env === env && r.robustness ? [r.robustness.epsScale] : []))),
    ];
    const epsUnits = epsScale.length === 1 && epsScale[0] === 'obs-std' ? ' (ε in obs std units)' : '';
    const t = {
      learning: `${env}: learning curves (mean ± std over seeds)`,
      percentiles: `${env}: final return percentiles over seeds`,
      robustness: `${env}: return under observation attacks${epsUnits}`,
      smoothness: `${env}: local Lipschitz ratio${epsUnits}`,
    };
    const lp = learningPoints(runs, env);
    const pp = percentilePoints(runs, env);
    const rp = robustnessPoints(curves, env);
    const sp = smoothnessPoints(runs, env);
    const specs: [FigureKind, TopLevelSpec | null][] = [
      ['learning', lp.length ? learningCurveSpec(t.learning, lp, size) : null],
      ['percentiles', pp.length ? percentileSpec(t.percentiles, pp, size) : null],
      ['robustness', rp.length ? robustnessSpec(t.robustness, rp, size) : null],
      ['smoothness', sp.length ? smoothnessSpec(t.smoothness, sp, size) : null],
    ];
    for (const [kind, spec] of specs) {
      if (!spec) continue;
      const files = await writeFigure(dir, figureName(env, kind), spec, opts.pngScale ?? 2);
      out.push({ env, kind, title: t[kind], ...files });
    }
  }
  return out;
}
