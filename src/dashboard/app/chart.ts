/**
 * A line chart in SVG: per group a mean line with its band, the group's seeds drawn faintly
 * when the pointer is on the group, and a tooltip with every series' value at the nearest x.
 * Linear or log y; a log axis leaves out values ≤ 0 and says how many.
 */
import type { BandPoint } from '../band.js';
import { PALETTE, fmt, h, s } from './dom.js';

export interface ChartSeries {
  label: string;
  points: BandPoint[];
  /** the individual seeds (or policies) behind the mean */
  members: { label: string; points: [number, number][] }[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  width?: number;
  height?: number;
}

const M = { left: 64, right: 16, top: 28, bottom: 40 };
const MARKERS_UP_TO = 30;

/** About `n` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((k) => k >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks of a log axis spanning 10^lo..10^hi: powers of ten, with 2× and 5× when the span is short. */
export function logTicks(lo: number, hi: number): number[] {
  const mult = hi - lo < 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++)
    for (const m of mult) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= lo - 1e-9 && Math.log10(v) <= hi + 1e-9) out.push(Number(v.toPrecision(12)));
    }
  return out;
}

function extent(vals: number[]): [number, number] {
  let lo = Math.min(...vals);
  let hi = Math.max(...vals);
  if (!(hi > lo)) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

const cursors = new WeakMap<HTMLElement, (x: number) => void>();

/** Moves a chart's time cursor (a vertical line) to `x`; used to keep plots aligned with a replay. */
export function moveCursor(chart: HTMLElement, x: number): void {
  cursors.get(chart)?.(x);
}

export function lineChart(series: readonly ChartSeries[], o: ChartOptions): HTMLElement {
  const W = o.width ?? 720;
  const H = o.height ?? 360;
  const logY = o.logY ?? false;
  const ok = (y: number) => Number.isFinite(y) && (!logY || y > 0);
  const xs = series.flatMap((g) => g.points.map((p) => p.x));
  const ys = series.flatMap((g) => g.points.flatMap((p) => [p.lo, p.hi, p.mean]).filter(ok));
  const dropped = series.reduce((k, g) => k + g.points.filter((p) => !ok(p.mean)).length, 0);
  const root = h('figure', { class: 'chart' }, h('figcaption', {}, o.title));
  if (!xs.length || !ys.length) {
    root.append(h('p', { class: 'empty' }, 'no data to plot yet'));
    return root;
  }
  const [x0, x1] = extent(xs);
  const [ya, yb] = logY ? extent(ys.map(Math.log10)) : extent(ys);
  // 4% headroom so points at the extremes are not drawn on the frame
  const [y0, y1] = [ya - (yb - ya) * 0.04, yb + (yb - ya) * 0.04];
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) =>
    H - M.bottom - (((logY ? Math.log10(y) : y) - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  // axes and ticks
  const yTicks = logY ? logTicks(y0, y1) : niceTicks(y0, y1);
  for (const t of niceTicks(x0, x1))
    svg.append(
      s('line', { x1: px(t), x2: px(t), y1: M.top, y2: H - M.bottom, class: 'grid' }),
      s('text', { x: px(t), y: H - M.bottom + 14, 'text-anchor': 'middle', class: 'tick' }, fmt(t)),
    );
  for (const t of yTicks)
    svg.append(
      s('line', { x1: M.left, x2: W - M.right, y1: py(t), y2: py(t), class: 'grid' }),
      s('text', { x: M.left - 6, y: py(t) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(t)),
    );
  svg.append(
    s('text', { x: (W + M.left) / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis' }, o.xLabel),
    s(
      'text',
      { x: 14, y: H / 2, transform: `rotate(-90 14 ${H / 2})`, 'text-anchor': 'middle', class: 'axis' },
      o.yLabel,
    ),
  );
  const path = (pts: [number, number][]) =>
    pts
      .filter(([, y]) => ok(y))
      .map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join('');
  const legend = h('div', { class: 'legend' });
  series.forEach((g, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const grp = s('g', { class: 'group', 'data-group': g.label });
    const banded = g.points.filter((p) => p.n > 1 && ok(p.lo) && ok(p.hi));
    if (banded.length) {
      const upper = banded.map((p) => `${px(p.x).toFixed(1)},${py(p.hi).toFixed(1)}`);
      const lower = banded.map((p) => `${px(p.x).toFixed(1)},${py(p.lo).toFixed(1)}`).reverse();
      grp.append(s('polygon', { class: 'band', points: [...upper, ...lower].join(' '), fill: color }));
    }
    for (const m of g.members)
      grp.append(s('path', { class: 'member', d: path(m.points), stroke: color, 'data-member': m.label }));
    grp.append(s('path', { class: 'series', d: path(g.points.map((p) => [p.x, p.mean])), stroke: color }));
    // markers where points are few (a lone ε would otherwise draw nothing); a band of one point is a bar
    if (g.points.length <= MARKERS_UP_TO)
      for (const p of g.points.filter((q) => ok(q.mean))) {
        if (banded.length === 1 && p === banded[0])
          grp.append(
            s('line', {
              class: 'band-bar',
              x1: px(p.x),
              x2: px(p.x),
              y1: py(p.lo),
              y2: py(p.hi),
              stroke: color,
            }),
          );
        grp.append(s('circle', { class: 'point', cx: px(p.x), cy: py(p.mean), r: 3, fill: color }));
      }
    svg.append(grp);
    const item = h(
      'span',
      { class: 'legend-item' },
      h('span', { class: 'swatch', style: `background:${color}` }),
      g.label,
    );
    const focus = (on: boolean) => grp.classList.toggle('focus', on);
    for (const e of [grp, item]) {
      e.addEventListener('mouseenter', () => focus(true));
      e.addEventListener('mouseleave', () => focus(false));
    }
    legend.append(item);
  });
  // hover: a rule at the nearest x and every series' values there
  const rule = s('line', { class: 'rule', y1: M.top, y2: H - M.bottom, visibility: 'hidden' });
  svg.append(rule);
  const tip = h('div', { class: 'tooltip', hidden: true });
  svg.addEventListener('mousemove', (ev) => {
    const r = svg.getBoundingClientRect();
    const x = x0 + (((ev.clientX - r.left) * (W / r.width) - M.left) / (W - M.left - M.right)) * (x1 - x0);
    const near = (pts: readonly { x: number }[]) =>
      pts.reduce<{ x: number } | undefined>(
        (b, p) => (!b || Math.abs(p.x - x) < Math.abs(b.x - x) ? p : b),
        undefined,
      );
    const at = near(series.flatMap((g) => g.points));
    if (!at) return;
    rule.setAttribute('x1', String(px(at.x)));
    rule.setAttribute('x2', String(px(at.x)));
    rule.setAttribute('visibility', 'visible');
    tip.replaceChildren(h('b', {}, `${o.xLabel} ${fmt(at.x)}`));
    for (const g of series) {
      const p = near(g.points);
      if (!p || p.x !== at.x) continue;
      const b = p as BandPoint;
      tip.append(
        h('div', {}, `${g.label}: ${fmt(b.mean)}${b.n > 1 ? ` [${fmt(b.lo)}, ${fmt(b.hi)}] n=${b.n}` : ''}`),
      );
      for (const m of g.members) {
        const v = m.points.find(([mx]) => mx === at.x);
        if (v) tip.append(h('div', { class: 'member-value' }, `  ${m.label}: ${fmt(v[1])}`));
      }
    }
    tip.hidden = false;
  });
  svg.addEventListener('mouseleave', () => {
    rule.setAttribute('visibility', 'hidden');
    tip.hidden = true;
  });
  const cursor = s('line', { class: 'cursor', y1: M.top, y2: H - M.bottom, visibility: 'hidden' });
  svg.append(cursor);
  cursors.set(root, (x) => {
    cursor.setAttribute('x1', String(px(x)));
    cursor.setAttribute('x2', String(px(x)));
    cursor.setAttribute('visibility', 'visible');
  });
  root.append(svg, legend, tip);
  if (logY && dropped)
    root.append(h('p', { class: 'note' }, `${dropped} point(s) ≤ 0 left out of the log scale`));
  return root;
}
