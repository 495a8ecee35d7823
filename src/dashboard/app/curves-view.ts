/**
 * Learning curves: any progress.csv column against iterations or env steps; per group the
 * mean over seeds with its 95% band (band.ts), each seed on hover, smoothing, log scale.
 */
import { aggregateSeeds, smooth } from '../band.js';
import { column } from '../csv-table.js';
import type { ChartSeries } from './chart.js';
import { lineChart } from './chart.js';
import { h, select } from './dom.js';
import type { Store } from './store.js';

export interface CurveSettings {
  column: string;
  x: 'Iteration' | 'EnvSteps';
  smoothing: number;
  logY: boolean;
}

export function curveSeries(store: Store, o: CurveSettings): ChartSeries[] {
  const groups = new Map<string, ChartSeries['members']>();
  const curves = new Map<string, Parameters<typeof aggregateSeeds>[0][number][]>();
  for (const r of store.visibleRuns()) {
    const t = store.progress.get(r.id)?.table;
    if (!t) continue;
    const y = column(t, o.column);
    if (!y) continue;
    const iteration = column(t, 'Iteration') ?? y.map((_, i) => i);
    const x = column(t, o.x) ?? iteration;
    const ys = o.smoothing > 0 ? smooth(y, o.smoothing) : y;
    const c = { iteration, x, y: ys };
    curves.set(r.group, [...(curves.get(r.group) ?? []), c]);
    const members = groups.get(r.group) ?? [];
    members.push({
      label: `seed ${r.seed} (${r.id})`,
      points: x.map((xi, i): [number, number] => [xi, ys[i]!]),
    });
    groups.set(r.group, members);
  }
  return [...groups].map(([label, members]) => ({
    label,
    members,
    points: aggregateSeeds(curves.get(label)!),
  }));
}

export function curvesView(store: Store): HTMLElement {
  const o: CurveSettings = { column: '', x: 'Iteration', smoothing: 0, logY: false };
  const controls = h('div', { class: 'controls' });
  const plot = h('div');
  const render = () => {
    const columns = [...new Set([...store.progress.values()].flatMap((p) => p.table?.header ?? []))].filter(
      (c) => c !== 'Iteration',
    );
    if (!columns.includes(o.column))
      o.column = store.runs.runs.find((r) => r.returnColumn)?.returnColumn ?? columns[0] ?? '';
    const smoothing = h('input', { type: 'range', name: 'smoothing', min: 0, max: 0.99, step: 0.01 });
    smoothing.value = String(o.smoothing);
    smoothing.addEventListener('change', () => {
      o.smoothing = Number(smoothing.value);
      render();
    });
    const log = h('input', { type: 'checkbox', name: 'log', checked: o.logY });
    log.addEventListener('change', () => {
      o.logY = log.checked;
      render();
    });
    controls.replaceChildren(
      select(
        'column',
        columns.map((c) => ({ value: c, text: c })),
        o.column,
        (v) => ((o.column = v), render()),
        'column',
      ),
      select(
        'x',
        [
          { value: 'Iteration', text: 'iterations' },
          { value: 'EnvSteps', text: 'environment steps' },
        ],
        o.x,
        (v) => ((o.x = v as CurveSettings['x']), render()),
        'x',
      ),
      h('label', {}, 'smoothing ', smoothing, ` ${o.smoothing.toFixed(2)}`),
      h('label', {}, log, ' log scale'),
    );
    plot.replaceChildren(
      lineChart(curveSeries(store, o), {
        title: `${o.column}: mean over seeds, 95% band`,
        xLabel: o.x === 'Iteration' ? 'iteration' : 'environment steps',
        yLabel: o.column,
        logY: o.logY,
      }),
    );
  };
  store.onChange(render);
  render();
  return h('section', { id: 'curves' }, h('h2', {}, 'Curves'), controls, plot);
}
