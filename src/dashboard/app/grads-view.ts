/**
 * Gradient norms over training from a run's grads.csv (`--log-grads`): one small chart per
 * layer, with the parts side by side (TRPO: the surrogate's and the regularizer's gradient;
 * DDPG: actor and critic). Columns are named `<part>/<layer>`.
 */
import type { CsvTable } from '../csv-table.js';
import { column } from '../csv-table.js';
import { lineChart, type ChartSeries } from './chart.js';
import { h, problemList, runSelect } from './dom.js';
import type { Store } from './store.js';

export interface LayerNorms {
  layer: string;
  parts: { part: string; x: number[]; y: number[] }[];
}

/** grads.csv's columns by layer, in the file's order. */
export function layersOf(t: CsvTable): LayerNorms[] {
  const x = column(t, 'Iteration') ?? t.rows.map((_, i) => i);
  const layers = new Map<string, LayerNorms>();
  for (const name of t.header) {
    if (name === 'Iteration') continue;
    const cut = name.indexOf('/');
    const [part, layer] = cut < 0 ? ['', name] : [name.slice(0, cut), name.slice(cut + 1)];
    const l = layers.get(layer) ?? { layer, parts: [] };
    l.parts.push({ part, x, y: column(t, name)! });
    layers.set(layer, l);
  }
  return [...layers.values()];
}

export function gradsView(store: Store): HTMLElement {
  const runs = () => store.runs.runs.filter((r) => r.hasGrads);
  let run = runs()[0]?.id ?? '';
  let logY = true;
  const controls = h('div', { class: 'controls' });
  const body = h('div', { class: 'grad-layers' });
  const render = async () => {
    const log = h('input', { type: 'checkbox', name: 'grads-log', checked: logY });
    log.addEventListener('change', () => ((logY = log.checked), void render()));
    controls.replaceChildren(
      runSelect(runs(), run, (v) => ((run = v), void render()), 'grads-run'),
      h('label', {}, log, ' log scale'),
    );
    if (!run) {
      body.replaceChildren(h('p', { class: 'empty' }, 'no run has grads.csv (train with --log-grads)'));
      return;
    }
    let t: CsvTable | null;
    try {
      t = (await store.source.grads(run)).table;
    } catch (e) {
      body.replaceChildren(problemList([(e as Error).message])!);
      return;
    }
    if (!t) return void body.replaceChildren(h('p', { class: 'empty' }, `${run} has no grads.csv`));
    const charts = layersOf(t).map((l) => {
      const series: ChartSeries[] = l.parts.map((p) => ({
        label: p.part || l.layer,
        members: [],
        points: p.x.map((x, i) => ({ x, mean: p.y[i]!, lo: p.y[i]!, hi: p.y[i]!, n: 1 })),
      }));
      const chart = lineChart(series, {
        title: l.layer,
        xLabel: 'iteration',
        yLabel: '‖grad‖₂',
        logY,
        width: 420,
        height: 220,
      });
      chart.classList.add('grad-layer');
      chart.setAttribute('data-layer', l.layer);
      return chart;
    });
    body.replaceChildren(problemList(t.problems) ?? '', ...charts);
  };
  void render();
  store.onLive((e) => {
    if (e.type === 'grads' && e.run === run) void render();
  });
  return h('section', { id: 'grads' }, h('h2', {}, 'Gradient norms per layer'), controls, body);
}
