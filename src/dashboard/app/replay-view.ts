/**
 * Replay: a chosen checkpoint's evaluation episode clean and under attack, side by side (three.js
 * when the environment is MuJoCo), with time-aligned plots of the actions, the perturbation's
 * size per step and the reward; play, pause, scrub. The page computes the episodes itself
 * (page-replay.ts: MuJoCo and sr2l's engine in the browser, on the backend chosen) as
 * `sr2l eval --iteration` runs them, so the returns shown are eval's.
 */
import type { ReplayResponse, ReplayTrajectory } from '../api-types.js';
import { lineChart, moveCursor, type ChartSeries } from './chart.js';
import { checkpointSelect, fmt, h, problemList, runSelect, select } from './dom.js';
import { WEBGPU_ROUNDING_NOTE, webgpuOffer } from './replay-backend.js';
import { modelView, type ModelView } from './scene.js';
import type { Store } from './store.js';

const series = (label: string, ys: readonly number[]): ChartSeries => ({
  label,
  members: [],
  points: ys.map((y, i) => ({ x: i, mean: y, lo: y, hi: y, n: 1 })),
});

function plots(r: ReplayResponse): HTMLElement[] {
  const both = (f: (t: ReplayTrajectory) => readonly number[], name: string) => [
    series(`clean ${name}`, f(r.clean)),
    series(`${r.attack} ε=${r.eps} ${name}`, f(r.attacked)),
  ];
  const dims = r.clean.actions[0]?.length ?? 0;
  const opts = (title: string, yLabel: string) => ({
    title,
    xLabel: 'step',
    yLabel,
    width: 560,
    height: 200,
  });
  return [
    ...Array.from({ length: dims }, (_, j) =>
      lineChart(
        both((t) => t.actions.map((a) => a[j]!), `a[${j}]`),
        opts(`action ${j}`, `a[${j}]`),
      ),
    ),
    lineChart(
      [series(`‖u‖∞ (${r.attack})`, r.attacked.perturbation)],
      opts('perturbation size per step (ball units)', '‖u‖∞'),
    ),
    lineChart(
      both((t) => t.rewards, 'reward'),
      opts('reward per step', 'reward'),
    ),
  ];
}

function player(r: ReplayResponse): HTMLElement {
  const steps = Math.max(r.clean.length, r.attacked.length);
  const charts = plots(r);
  let views: ModelView[] = [];
  let note: HTMLElement | null = null;
  if (r.geoms && r.clean.frames && r.attacked.frames) {
    try {
      views = [modelView(r.geoms, 420, 300), modelView(r.geoms, 420, 300)];
    } catch (e) {
      note = h('p', { class: 'note' }, `no 3-D view: ${(e as Error).message}`);
    }
  } else note = h('p', { class: 'note' }, `${r.env} is not a MuJoCo environment: no 3-D view, plots only`);
  const label = h('span', { class: 'step' }, '');
  const slider = h('input', { type: 'range', name: 'step', min: 0, max: steps, step: 1, value: 0 });
  const show = (t: number) => {
    slider.value = String(t);
    label.textContent = `step ${t} / ${steps}`;
    const frame = (tr: ReplayTrajectory) => tr.frames![Math.min(t, tr.frames!.length - 1)]!;
    if (views.length) {
      views[0]!.show(frame(r.clean));
      views[1]!.show(frame(r.attacked));
    }
    for (const c of charts) moveCursor(c, Math.min(t, steps - 1));
  };
  slider.addEventListener('input', () => show(Number(slider.value)));
  const play = h('button', { type: 'button', name: 'play' }, 'play');
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = 'play';
  };
  play.addEventListener('click', () => {
    if (timer) return stop();
    if (Number(slider.value) >= steps) show(0);
    play.textContent = 'pause';
    // real time: one step per dt of simulated time
    timer = setInterval(
      () => {
        const t = Number(slider.value) + 1;
        if (t > steps) return stop();
        show(t);
      },
      Math.max(10, r.dt * 1000),
    );
  });
  const returns = h(
    'p',
    {
      class: 'returns',
      'data-clean-return': String(r.clean.return),
      'data-attacked-return': String(r.attacked.return),
    },
    `${r.iteration === null ? '' : `checkpoint iteration ${r.iteration}, `}episode ${r.episode} of ${r.episodes} (seed ${r.seed}): clean return ${fmt(r.clean.return)} in ${r.clean.length} steps; ` +
      `${r.attack} ε=${r.eps} (${r.epsScale}): return ${fmt(r.attacked.return)} in ${r.attacked.length} steps`,
  );
  const where = h(
    'p',
    { class: 'computed-by note' },
    `computed by ${r.computedBy}`,
    r.computedBy.includes('webgpu backend') ? `; ${WEBGPU_ROUNDING_NOTE}` : '',
  );
  const side = (title: string, v: ModelView | undefined) =>
    h('figure', {}, h('figcaption', {}, title), v?.canvas ?? '');
  const out = h(
    'div',
    {},
    returns,
    where,
    note ??
      h('div', { class: 'replay-views' }, side('clean', views[0]), side(`${r.attack} ε=${r.eps}`, views[1])),
    h('div', { class: 'controls' }, play, slider, label),
    h('div', { class: 'replay-plots' }, ...charts),
  );
  show(0);
  return out;
}

/** The backend choice: the CPU (eval's arithmetic) always; WebGPU only where the browser gives an adapter. */
function backendChoice(value: () => string, onChange: (v: string) => void): HTMLElement {
  const slot = h('span', { class: 'backend' }, 'engine backend: asking for WebGPU…');
  void webgpuOffer().then((offer) => {
    const sel = h(
      'select',
      { name: 'replay-backend' },
      h('option', { value: 'cpu', selected: value() === 'cpu' }, 'CPU (WebAssembly SIMD), as sr2l eval'),
      h(
        'option',
        { value: 'webgpu', selected: value() === 'webgpu', disabled: !offer.available },
        offer.available ? 'WebGPU' : 'WebGPU (not available)',
      ),
    );
    sel.addEventListener('change', () => onChange(sel.value));
    slot.replaceChildren(
      h('label', {}, 'engine backend ', sel),
      ' ',
      h(
        'span',
        { class: 'note backend-note', 'data-webgpu': String(offer.available) },
        `WebGPU: ${offer.reason}`,
      ),
    );
  });
  return slot;
}

export function replayView(store: Store): HTMLElement {
  const runs = () => store.runs.runs.filter((r) => r.checkpoints.length);
  const o = {
    run: runs()[0]?.id ?? '',
    iteration: '',
    backend: 'cpu',
    attack: 'mad',
    eps: '0.05',
    epsScale: 'raw',
    episodes: '10',
    episode: '0',
    seed: '',
  };
  const number = (name: keyof typeof o, label: string) => {
    const input = h('input', { type: 'number', name: `replay-${name}`, value: o[name], min: 0, step: 'any' });
    input.addEventListener('change', () => (o[name] = input.value));
    return h('label', {}, `${label} `, input);
  };
  // the run's checkpoints (RunSummary.checkpoints: the iter-NNNNNN folders on disk), default the newest
  const checkpointSlot = h('span', {});
  const showCheckpoints = () => {
    const its = runs().find((r) => r.id === o.run)?.checkpoints ?? [];
    o.iteration = its.length ? String(its.at(-1)) : '';
    checkpointSlot.replaceChildren(
      checkpointSelect(its, its.at(-1) ?? 0, (v) => (o.iteration = String(v)), 'replay-iteration'),
    );
  };
  showCheckpoints();
  const body = h('div', {}, h('p', { class: 'note' }, 'choose a run and press replay'));
  const go = h('button', { type: 'button', name: 'replay' }, 'replay');
  go.addEventListener('click', () => {
    body.replaceChildren(h('p', { class: 'note' }, 'running the episodes in this page…'));
    const { run, seed, ...rest } = o;
    const summary = runs().find((r) => r.id === run);
    if (!summary) return body.replaceChildren(problemList([`no run '${run}' with a checkpoint`])!);
    store.source.replay(summary, { ...rest, ...(seed ? { seed } : {}) }).then(
      (r) => {
        // the last replay's numbers, for the browser's console (and the tests)
        (globalThis as { sr2lReplay?: ReplayResponse }).sr2lReplay = r;
        body.replaceChildren(player(r));
      },
      (e: Error) => body.replaceChildren(problemList([e.message])!),
    );
  });
  const controls = h(
    'div',
    { class: 'controls' },
    runSelect(
      runs(),
      o.run,
      (v) => {
        o.run = v;
        showCheckpoints();
      },
      'replay-run',
    ),
    checkpointSlot,
    select(
      'attack',
      ['none', 'random', 'mad', 'critic'].map((a) => ({ value: a, text: a })),
      o.attack,
      (v) => (o.attack = v),
      'replay-attack',
    ),
    number('eps', 'ε'),
    select(
      'in',
      [
        { value: 'raw', text: 'raw units' },
        { value: 'obs-std', text: 'obs std units' },
      ],
      o.epsScale,
      (v) => (o.epsScale = v),
      'replay-eps-scale',
    ),
    number('episodes', 'episodes (as sr2l eval --episodes)'),
    number('episode', 'episode'),
    number('seed', 'seed (blank: the run’s)'),
    backendChoice(
      () => o.backend,
      (v) => (o.backend = v),
    ),
    go,
  );
  return h(
    'section',
    { id: 'replay' },
    h('h2', {}, 'Replay: clean and attacked episode of a checkpoint (as sr2l eval --iteration)'),
    controls,
    body,
  );
}
