/** The runs table: one row per run, grouped by setting, filterable; problems under each run. */
import { fmt, h, problemList } from './dom.js';
import type { Store } from './store.js';

export function runsView(store: Store): HTMLElement {
  const input = h('input', {
    type: 'search',
    name: 'filter',
    placeholder: 'filter: words in id, group, state or settings',
  });
  input.value = store.filter;
  input.addEventListener('input', () => {
    store.filter = input.value;
    store.changed();
  });
  const body = h('div');
  const render = () => {
    const runs = store.visibleRuns().sort((a, b) => a.group.localeCompare(b.group) || a.seed - b.seed);
    const keys = [...new Set(store.runs.runs.flatMap((r) => Object.keys(r.differing)))];
    const head = h(
      'tr',
      {},
      ...[
        'run',
        'algorithm',
        'environment',
        'seed',
        ...keys,
        'state',
        'final return',
        'iterations',
        'env steps',
      ].map((c) => h('th', {}, c)),
    );
    const rows: HTMLElement[] = [];
    let group = '';
    for (const r of runs) {
      if (r.group !== group) {
        group = r.group;
        rows.push(h('tr', { class: 'group-row' }, h('th', { colspan: 8 + keys.length }, group)));
      }
      rows.push(
        h(
          'tr',
          { class: `run state-${r.state}`, 'data-run': r.id },
          h('td', {}, r.id),
          h('td', {}, r.algo),
          h('td', {}, r.env),
          // a run whose config could not be read has no seed (null in JSON)
          h('td', {}, Number.isFinite(r.seed) ? String(r.seed) : '–'),
          ...keys.map((k) => h('td', {}, String(r.differing[k] ?? '–'))),
          h('td', { class: 'state' }, r.state),
          h('td', { class: 'final' }, fmt(r.finalReturn)),
          h('td', { class: 'iterations' }, String(r.iterations)),
          h('td', {}, fmt(r.envSteps)),
        ),
      );
      const p = problemList(r.problems);
      if (p) rows.push(h('tr', { class: 'run-problems' }, h('td', { colspan: 8 + keys.length }, p)));
    }
    body.replaceChildren(
      h('p', {}, `${runs.length} of ${store.runs.runs.length} runs`),
      h('table', { class: 'runs' }, h('thead', {}, head), h('tbody', {}, ...rows)),
      problemList(store.runs.problems) ?? '',
    );
  };
  store.onChange(render);
  render();
  return h('section', { id: 'runs' }, h('h2', {}, 'Runs'), input, body);
}
