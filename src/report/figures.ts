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
