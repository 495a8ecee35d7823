/**
 * Vega-Lite specifications of the paper's figures, one chart per environment so every
 * figure has an exact pixel size (autosize fit) and reads well inline in Markdown:
 * learning curves (Fig. 2), percentiles of final return over seeds (Fig. 3), return
 * against ε under attack (Fig. 4) and the local Lipschitz ratio against ε.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface FigureSize {
  width: number;
  height: number;
}
export const DEFAULT_SIZE: FigureSize = { width: 560, height: 360 };

/** mean ± std over seeds of the return at one iteration */
export interface LearningPoint {
  variant: string;
  iteration: number;
  mean: number;
  std: number;
}

/** the q-th percentile (0–100) over seeds of the final return */
export interface PercentilePoint {
  variant: string;
  percentile: number;
  value: number;
}

/** return (mean ± std over episodes and policies) at one ε of one attack */
export interface RobustnessPoint {
  variant: string;
  attack: string;
  eps: number;
  mean: number;
  std: number;
}

export interface SmoothnessPoint {
  variant: string;
  eps: number;
  lipschitz: number;
}

function frame(title: string, size: FigureSize): Omit<TopLevelSpec, 'mark' | 'layer' | 'encoding'> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: size.width,
    height: size.height,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    config: {
      font: 'DejaVu Sans',
      legend: {
        // two columns of whole labels: grid-search variants are long ("trpo-sr [eps=0.001,lambdaS=10]")
        orient: 'bottom',
        columns: 2,
        labelLimit: 0,
        symbolType: 'stroke',
        symbolStrokeWidth: 3,
        symbolOpacity: 1,
        symbolSize: 300,
        symbolStrokeColor: '#555',
      },
    },
  } as Omit<TopLevelSpec, 'mark' | 'layer' | 'encoding'>;
}

/** Colour by variant; past ten variants (a grid search) a 20-colour scheme so none repeats. */
function variantColor(points: readonly object[]): Record<string, unknown> {
  const n = new Set(points.map((p) => (p as { variant?: string }).variant)).size;
  return {
    field: 'variant',
    type: 'nominal',
    title: null,
    scale: { scheme: n > 10 ? 'tableau20' : 'tableau10' },
  };
}

/** Fig. 2: a line per variant with a ±std band. */
export function learningCurveSpec(
  title: string,
  points: readonly LearningPoint[],
  size = DEFAULT_SIZE,
): TopLevelSpec {
  return {
    ...frame(title, size),
    data: { values: points.map((p) => ({ ...p, low: p.mean - p.std, high: p.mean + p.std })) },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration', axis: { tickMinStep: 1 } },
      color: variantColor(points),
    },
    layer: [
      {
        mark: { type: 'errorband', opacity: 0.25 },
        encoding: {
          y: { field: 'low', type: 'quantitative', title: 'average return', scale: { zero: false } },
          y2: { field: 'high' },
        },
      },
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Fig. 3: final return at each percentile over seeds. */
export function percentileSpec(
  title: string,
  points: readonly PercentilePoint[],
  size = DEFAULT_SIZE,
): TopLevelSpec {
  return pointLineSpec(
    title,
    points,
    size,
    { field: 'percentile', type: 'quantitative', title: 'percentile over seeds' },
    { field: 'value', type: 'quantitative', title: 'final return', scale: { zero: false } },
  );
}

/** A line with points per variant: the shape of Fig. 3 and of the smoothness figure. */
function pointLineSpec(
  title: string,
  points: readonly object[],
  size: FigureSize,
  x: Record<string, unknown>,
  y: Record<string, unknown>,
): TopLevelSpec {
  return {
    ...frame(title, size),
    data: { values: points.slice() },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: { x, y, color: variantColor(points) },
  } as TopLevelSpec;
}

/** Fig. 4: return against ε, a line per variant and attack (dashed: adversarial). */
export function robustnessSpec(
  title: string,
  points: readonly RobustnessPoint[],
  size = DEFAULT_SIZE,
): TopLevelSpec {
  return {
    ...frame(title, size),
    data: { values: points.map((p) => ({ ...p, low: p.mean - p.std, high: p.mean + p.std })) },
    encoding: {
      x: { field: 'eps', type: 'quantitative', title: 'ε (perturbation strength)' },
      color: variantColor(points),
    },
    layer: [
      {
        mark: { type: 'errorband', opacity: 0.12 },
        encoding: {
          y: { field: 'low', type: 'quantitative', title: 'return', scale: { zero: false } },
          y2: { field: 'high' },
          detail: { field: 'attack', type: 'nominal' },
        },
      },
      {
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          strokeDash: {
            field: 'attack',
            type: 'nominal',
            title: 'attack',
            legend: { symbolStrokeColor: '#444', symbolFillColor: 'transparent' },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

export function smoothnessSpec(
  title: string,
  points: readonly SmoothnessPoint[],
  size = DEFAULT_SIZE,
): TopLevelSpec {
  return pointLineSpec(
    title,
    points,
    size,
    { field: 'eps', type: 'quantitative', title: 'ε' },
    { field: 'lipschitz', type: 'quantitative', title: '‖Δμ‖₂ / ‖δ‖∞' },
  );
}

/** one setting's point of the clean / attacked frontier, with 95% intervals on both axes */
export interface FrontierFigurePoint {
  variant: string;
  reference: boolean;
  clean: { mean: number; lo: number; hi: number };
  attacked: { mean: number; lo: number; hi: number };
}

/** Clean return (x) against return under attack (y), one point per setting, interval bars on both axes. */
export function frontierSpec(
  title: string,
  points: readonly FrontierFigurePoint[],
  size = DEFAULT_SIZE,
): TopLevelSpec {
  const values = points.map((p) => ({
    variant: p.variant,
    role: p.reference ? 'reference' : 'setting',
    x: p.clean.mean,
    xLo: p.clean.lo,
    xHi: p.clean.hi,
    y: p.attacked.mean,
    yLo: p.attacked.lo,
    yHi: p.attacked.hi,
  }));
  const x = {
    field: 'x',
    type: 'quantitative',
    title: 'clean return (mean over policies, 95% CI)',
    scale: { zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: 'return under attack (mean, 95% CI)',
    scale: { zero: false },
  };
  // one legend row per setting (names like "trpo-sr [eps=0.003,lambdaS=0.1,epsScale=raw]" are
  // too long for two columns), the figure growing by a row's height so the plot keeps its size
  const base = frame(title, { width: size.width, height: size.height + 22 * points.length });
  const config = base.config as { legend: Record<string, unknown> };
  return {
    ...base,
    config: { ...config, legend: { ...config.legend, columns: 1 } },
    data: { values },
    encoding: { color: variantColor(points) },
    layer: [
      {
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x: { ...x, field: 'xLo' }, x2: { field: 'xHi' }, y },
      },
      {
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { y: { ...y, field: 'yLo' }, y2: { field: 'yHi' }, x },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          x,
          y,
          shape: {
            field: 'role',
            type: 'nominal',
            title: null,
            scale: { domain: ['reference', 'setting'], range: ['diamond', 'circle'] },
          },
        },
      },
    ],
  } as TopLevelSpec;
}
