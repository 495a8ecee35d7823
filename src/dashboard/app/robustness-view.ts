/**
 * Robustness from `sr2l eval`: per environment, the return against ε for each group and
 * attack (the mean over policies with its 95% band; ε = 0 is the clean return), and the
 * local Lipschitz ratio against ε per group. Policies = the group's evaluated runs.
 */
import type { RobustnessResponse, RunSummary } from '../api-types.js';
import { meanBand } from '../band.js';
import { lineChart, type ChartSeries } from './chart.js';
import { h, problemList } from './dom.js';
import type { Store } from './store.js';

type PolicyCurves = Map<string, { run: RunSummary; points: Map<number, number> }[]>;

/** One series per key: mean and band over the policies at every ε some policy has. */
function bandSeries(curves: PolicyCurves): ChartSeries[] {
  return [...curves].map(([label, policies]) => {
    const eps = [...new Set(policies.flatMap((p) => [...p.points.keys()]))].sort((a, b) => a - b);
    return {
      label,
      points: eps.map((x) => ({
        x,
        ...meanBand(policies.map((p) => p.points.get(x)).filter((v): v is number => v !== undefined)),
      })),
      members: policies.map((p) => ({
        label: `seed ${p.run.seed} (${p.run.id})`,
        points: [...p.points].sort((a, b) => a[0] - b[0]),
      })),
    };
  });
}

export function robustnessCharts(rob: RobustnessResponse, runs: readonly RunSummary[]): HTMLElement[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const envs = [...new Set(rob.runs.map((r) => byId.get(r.run)?.env ?? '?'))];
  return envs.flatMap((env) => {
    const returns: PolicyCurves = new Map();
    const lipschitz: PolicyCurves = new Map();
    const scales = new Set<string>();
    for (const res of rob.runs) {
      const run = byId.get(res.run);
      if (!run || run.env !== env) continue;
      scales.add(res.epsScale);
      const clean = res.rows.find((r) => r.attack === 'none');
      for (const attack of new Set(res.rows.map((r) => r.attack).filter((a) => a !== 'none'))) {
        const points = new Map(res.rows.filter((r) => r.attack === attack).map((r) => [r.eps, r.mean]));
        if (clean && !points.has(0)) points.set(0, clean.mean);
        const key = `${run.group} · ${attack}`;
        returns.set(key, [...(returns.get(key) ?? []), { run, points }]);
      }
      const lip = new Map(res.smoothness.map((s) => [s.eps, s.lipschitzMean]));
      if (lip.size) lipschitz.set(run.group, [...(lipschitz.get(run.group) ?? []), { run, points: lip }]);
    }
    const eps = `ε (${[...scales].join(', ')})`;
    const charts = [
      lineChart(bandSeries(returns), {
        title: `${env}: return under attack, mean over policies, 95% band`,
        xLabel: eps,
        yLabel: 'return',
      }),
    ];
    if (lipschitz.size)
      charts.push(
        lineChart(bandSeries(lipschitz), {
          title: `${env}: local Lipschitz ratio, mean over policies, 95% band`,
          xLabel: eps,
          yLabel: 'Lipschitz ratio',
        }),
      );
    charts[0]!.classList.add('robustness-returns');
    charts[1]?.classList.add('robustness-lipschitz');
    return charts;
  });
}

export function robustnessView(store: Store): HTMLElement {
  const body = h('div', {}, h('p', { class: 'note' }, 'loading…'));
  const render = async () => {
    try {
      const rob = await store.source.robustness();
      const charts = robustnessCharts(rob, store.runs.runs);
      body.replaceChildren(
        problemList(rob.problems) ?? '',
        ...(charts.length
          ? charts
          : [h('p', { class: 'empty' }, 'no run has eval/robustness.json (run sr2l eval)')]),
      );
    } catch (e) {
      body.replaceChildren(problemList([(e as Error).message])!);
    }
  };
  void render();
  return h('section', { id: 'robustness' }, h('h2', {}, 'Robustness (sr2l eval)'), body);
}
