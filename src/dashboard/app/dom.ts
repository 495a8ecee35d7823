/** Small DOM builders: every piece of run data enters the page as text (textContent), never as markup. */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

function apply(e: Element, attrs: Attrs, children: Child[]): void {
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined && v !== false) e.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  apply(e, attrs, children);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  apply(e, attrs, children);
  return e;
}

/** A number for people: 4 significant digits, exponent notation when tiny or huge. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return Number(x.toPrecision(3)).toExponential();
  return Number(x.toPrecision(4)).toString();
}

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];

/** A <select> of `options`; calls `onChange` with the chosen value. */
export function select(
  label: string,
  options: readonly { value: string; text: string }[],
  value: string,
  onChange: (v: string) => void,
  name: string,
): HTMLLabelElement {
  const sel = h('select', { name });
  for (const o of options) sel.append(h('option', { value: o.value, selected: o.value === value }, o.text));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('label', {}, `${label} `, sel);
}

/** A <select> of run ids. */
export const runSelect = (
  runs: readonly { id: string }[],
  value: string,
  onChange: (v: string) => void,
  name: string,
): HTMLLabelElement =>
  select(
    'run',
    runs.map((r) => ({ value: r.id, text: r.id })),
    value,
    onChange,
    name,
  );

/** A list of messages about unreadable files. */
export function problemList(problems: readonly string[]): HTMLElement | null {
  if (!problems.length) return null;
  return h('ul', { class: 'problems' }, ...problems.map((p) => h('li', {}, p)));
}

/** A <select> of a run's checkpoint iterations (oldest first, as RunSummary lists them); the newest is marked. */
export const checkpointSelect = (
  iterations: readonly number[],
  value: number,
  onChange: (v: number) => void,
  name: string,
): HTMLLabelElement =>
  select(
    'checkpoint',
    iterations.map((i, k) => ({
      value: String(i),
      text: `iteration ${i}${k === iterations.length - 1 ? ' (newest)' : ''}`,
    })),
    String(value),
    (v) => onChange(Number(v)),
    name,
  );
