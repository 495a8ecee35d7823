/**
 * The policy-loss graph of a checkpoint (the engine's graph export, rebuilt by the server as
 * `sr2l inspect` does): drag to pan, wheel to zoom, click a node for its op, name, shape,
 * dtype, gradient norm and a histogram of its values.
 */
import type { GraphNodeInfo, GraphResponse } from '../api-types.js';
import { checkpointSelect, fmt, h, problemList, runSelect, s } from './dom.js';
import { layoutGraph } from './graph-layout.js';
import type { Store } from './store.js';

// inputs at the top, the loss at the bottom: a layer is a row, so the deep chain of a loss
// runs down the page and the wide layers (parameters, batch tensors) across it
const NODE_W = 190;
const NODE_H = 34;
const GAP_X = 14;
const GAP_Y = 36;

function histogram(v: NonNullable<GraphNodeInfo['values']>): SVGSVGElement {
  const W = 240;
  const H = 80;
  const top = Math.max(...v.bins, 1);
  const w = W / v.bins.length;
  return s(
    'svg',
    { width: W, height: H + 14, class: 'histogram' },
    ...v.bins.map((c, i) =>
      s('rect', { class: 'bar', x: i * w + 0.5, width: w - 1, y: H - (c / top) * H, height: (c / top) * H }),
    ),
    s('text', { x: 0, y: H + 12, class: 'tick' }, fmt(v.min)),
    s('text', { x: W, y: H + 12, class: 'tick', 'text-anchor': 'end' }, fmt(v.max)),
  );
}

function details(n: GraphNodeInfo): HTMLElement {
  const item = (k: string, v: string) => [h('dt', {}, k), h('dd', {}, v)];
  return h(
    'dl',
    { class: 'details' },
    ...item('op', n.op),
    ...item('name', n.name ?? '–'),
    ...item('shape', `[${n.shape.join(', ')}]`),
    ...item('dtype', n.dtype),
    ...item('‖grad‖₂', n.gradNorm === undefined ? '–' : fmt(n.gradNorm)),
    ...(n.values
      ? [
          ...item('values', `min ${fmt(n.values.min)}, mean ${fmt(n.values.mean)}, max ${fmt(n.values.max)}`),
          h('dt', {}, `histogram (${n.values.count} values)`),
          h('dd', {}, histogram(n.values)),
        ]
      : []),
  );
}

export function drawGraph(g: GraphResponse): HTMLElement {
  const placed = layoutGraph(
    g.nodes.map((n) => n.id),
    g.edges,
  );
  const pos = new Map(
    placed.map((p) => [p.id, { x: p.row * (NODE_W + GAP_X), y: p.col * (NODE_H + GAP_Y) }]),
  );
  const across = Math.max(...placed.map((p) => p.row)) + 1;
  const down = Math.max(...placed.map((p) => p.col)) + 1;
  const W = 960;
  // fit the widest layer; the page scrolls down the layers
  let k = Math.min(1, (W - 20) / (across * (NODE_W + GAP_X)));
  const H = Math.min(1600, Math.ceil(down * (NODE_H + GAP_Y) * k) + 20);
  const svg = s('svg', { width: W, height: H, class: 'graph' });
  const view = s('g', { class: 'viewport' });
  svg.append(view);
  const panel = h('div', { class: 'details' }, h('p', { class: 'note' }, 'click a node'));
  for (const [a, b] of g.edges) {
    const p = pos.get(a)!;
    const q = pos.get(b)!;
    const [x1, y1, x2, y2] = [p.x + NODE_W / 2, p.y + NODE_H, q.x + NODE_W / 2, q.y];
    const my = (y1 + y2) / 2;
    view.append(s('path', { class: 'edge', d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}` }));
  }
  for (const n of g.nodes) {
    const p = pos.get(n.id)!;
    const node = s(
      'g',
      {
        class: `node${n.isLeaf ? ' leaf' : ''}`,
        'data-id': n.id,
        'data-name': n.name,
        transform: `translate(${p.x},${p.y})`,
      },
      s('rect', { width: NODE_W, height: NODE_H, rx: 4 }),
      s('text', { x: 6, y: 14 }, n.name ? `${n.name} (${n.op})` : n.op),
      s(
        'text',
        { x: 6, y: 28, class: 'shape' },
        `[${n.shape.join(',')}]${n.gradNorm !== undefined ? ` ‖g‖ ${fmt(n.gradNorm)}` : ''}`,
      ),
    );
    node.addEventListener('click', () => {
      for (const e of view.querySelectorAll('g.node.selected')) e.classList.remove('selected');
      node.classList.add('selected');
      panel.replaceChildren(details(n));
    });
    view.append(node);
  }
  // pan and zoom: the viewport's transform is translate(tx, ty) scale(k)
  let tx = 10;
  let ty = 10;
  const apply = () => view.setAttribute('transform', `translate(${tx},${ty}) scale(${k})`);
  apply();
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    const [mx, my] = [e.clientX - r.left, e.clientY - r.top];
    const f = Math.exp(-e.deltaY * 0.001);
    tx = mx - (mx - tx) * f;
    ty = my - (my - ty) * f;
    k *= f;
    apply();
  });
  let drag: { x: number; y: number } | null = null;
  svg.addEventListener('pointerdown', (e) => (drag = { x: e.clientX - tx, y: e.clientY - ty }));
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    tx = e.clientX - drag.x;
    ty = e.clientY - drag.y;
    apply();
  });
  for (const ev of ['pointerup', 'pointerleave']) svg.addEventListener(ev, () => (drag = null));
  return h(
    'div',
    {},
    h(
      'p',
      {},
      `loss ${fmt(g.loss)} at iteration ${g.iteration}: ${g.nodes.length} tensors, ${g.edges.length} edges`,
    ),
    h('div', { class: 'graph-wrap' }, svg, panel),
  );
}

export function graphView(store: Store): HTMLElement {
  const runs = () => store.runs.runs.filter((r) => r.checkpoints.length && r.algo.startsWith('trpo'));
  let run = runs()[0]?.id ?? '';
  let iteration = runs()[0]?.checkpoints.at(-1) ?? 0;
  const controls = h('div', { class: 'controls' });
  const body = h('div');
  const render = async () => {
    const its = runs().find((r) => r.id === run)?.checkpoints ?? [];
    if (!its.includes(iteration)) iteration = its.at(-1) ?? 0;
    controls.replaceChildren(
      runSelect(runs(), run, (v) => ((run = v), void render()), 'graph-run'),
      checkpointSelect(its, iteration, (v) => ((iteration = v), void render()), 'graph-iteration'),
    );
    if (!run) {
      body.replaceChildren(h('p', { class: 'empty' }, 'no TRPO run with a checkpoint'));
      return;
    }
    body.replaceChildren(h('p', { class: 'note' }, 'rebuilding the loss…'));
    try {
      body.replaceChildren(drawGraph(await store.source.graph(run, iteration)));
    } catch (e) {
      body.replaceChildren(problemList([(e as Error).message])!);
    }
  };
  void render();
  return h('section', { id: 'graph' }, h('h2', {}, 'Policy-loss graph at a checkpoint'), controls, body);
}
