/**
 * The Markdown reproduction report of a sweep: per env, final return over seeds (mean ±
 * std, median, 10th/90th percentiles), each SR variant minus its baseline (95% bootstrap
 * CI, Welch's t-test p-value), the robustness curves' areas, and the figures inline.
 */
import { relative } from 'node:path';
import {
  type ComparisonRow,
  type FinalRow,
  type RobustnessCurve,
  comparisonTable,
  envsOf,
  finalReturnTable,
  robustnessCurves,
} from './aggregate.js';
import type { SweepFigure } from './figure-set.js';
import type { RunResult, SweepResults } from './sweep-data.js';

export interface ReportOptions {
  /** bootstrap resamples (default 10000) and seed (default 0) */
  resamples?: number;
  seed?: number;
  /** folder the Markdown file is written to, so figure links are relative to it */
  reportDir: string;
  figures: readonly SweepFigure[];
  /** lines stating how the numbers were produced (command lines, commit) */
  provenance?: readonly string[];
}

/** Numbers with 4 significant digits, no exponent for the usual return range. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}
const fmtP = (p: number): string => (!Number.isFinite(p) ? '–' : p < 1e-4 ? '< 0.0001' : p.toFixed(4));

/** A Markdown table; the first `textColumns` columns align left, the numbers right. */
function table(header: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < textColumns ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function finalSection(rows: readonly FinalRow[]): string {
  return table(
    ['variant', 'seeds', 'mean ± std', 'median', 'p10', 'p90', 'min', 'max'],
    rows.map(({ variant, summary: s }) => [
      variant,
      String(s.n),
      `${fmt(s.mean)} ± ${fmt(s.std)}`,
      fmt(s.median),
      fmt(s.p10),
      fmt(s.p90),
      fmt(s.min),
      fmt(s.max),
    ]),
  );
}

function comparisonSection(rows: readonly ComparisonRow[]): string {
  return table(
    ['comparison', 'seeds', 'difference of means', '95% bootstrap CI', 'Welch t-test p', 'df'],
    rows.map((r) => [
      `${r.variant} − ${r.baseline}`,
      `${r.n} vs ${r.nBaseline}`,
      fmt(r.comparison.difference),
      `[${fmt(r.comparison.ciLow)}, ${fmt(r.comparison.ciHigh)}]`,
      fmtP(r.comparison.pValue),
      fmt(r.comparison.df),
    ]),
  );
}

function robustnessSection(curves: readonly RobustnessCurve[]): string {
  const epsValues = [...new Set(curves.flatMap((c) => c.points.map((p) => p.eps)))].sort((a, b) => a - b);
  return table(
    [
      'variant',
      'attack',
      'policies',
      ...epsValues.map((e) => `ε=${e}`),
      'area under curve',
      'mean return over ε range',
    ],
    curves.map((c) => [
      c.variant,
      c.attack,
      String(c.policies),
      ...epsValues.map((e) => {
        const p = c.points.find((q) => q.eps === e);
        return p ? `${fmt(p.mean)} ± ${fmt(p.std)}` : '–';
      }),
      fmt(c.area),
      fmt(c.meanOverRange),
    ]),
    2,
  );
}

/** With several settings (a grid search): per algorithm, the setting with the best mean final return. */
function bestSettings(runs: readonly RunResult[], finals: readonly FinalRow[]): string[] {
  const out: string[] = [];
  for (const algo of [...new Set(runs.map((r) => r.algo))]) {
    const variants = [...new Set(runs.filter((r) => r.algo === algo).map((r) => r.variant))];
    if (variants.length < 2) continue;
    const best = finals
      .filter((f) => variants.includes(f.variant))
      .sort((a, b) => b.summary.mean - a.summary.mean)[0];
    if (best) {
      const setting = runs.find((r) => r.variant === best.variant)!.setting;
      out.push(
        '',
        `Best ${algo} setting by mean final return: \`${setting}\` (${fmt(best.summary.mean)}, ${best.summary.n} seeds).`,
      );
    }
  }
  return out;
}

export function buildReport(results: SweepResults, opts: ReportOptions): string {
  const { runs } = results;
  const finals = finalReturnTable(runs);
  const comparisons = comparisonTable(runs, { resamples: opts.resamples ?? 10000, seed: opts.seed ?? 0 });
  const curves = robustnessCurves(runs);
  const finished = runs.filter((r) => r.finished).length;
  const epsScales = [...new Set(runs.flatMap((r) => (r.robustness ? [r.robustness.epsScale] : [])))];
  const lines: string[] = [
    `# Sweep \`${results.name}\``,
    '',
    `${runs.length} runs, ${finished} finished; folder \`${results.dir}\`.`,
    ...(opts.provenance?.length ? ['', ...opts.provenance.map((p) => `- ${p}`)] : []),
    '',
    `Final return = \`${results.metric}\` of the last iteration of each finished run (runs still in progress ` +
      `appear in the learning curves only). Std is the sample std (n − 1); ` +
      `percentiles interpolate linearly between order statistics (mathjs). Differences: mean(SR) − mean(baseline), ` +
      `95% percentile-bootstrap interval with ${opts.resamples ?? 10000} resamples of each group (seed ${opts.seed ?? 0}), ` +
      `two-sided Welch's t-test (@stdlib/stats-ttest2). Robustness: episodes of all evaluated policies pooled per ε; ` +
      `area under the mean-return curve by the trapezoid rule${epsScales.length ? ` (ε scale: ${epsScales.join(', ')})` : ''}.`,
  ];
  for (const env of envsOf(runs)) {
    const figs = opts.figures.filter((f) => f.env === env);
    const fig = (kind: string): string[] =>
      figs
        .filter((f) => f.kind === kind)
        .map((f) => `![${f.title}](${relative(opts.reportDir, f.png).split('\\').join('/')})`);
    lines.push('', `## ${env}`, '', '### Final return over seeds', '');
    const envFinals = finals.filter((r) => r.env === env);
    lines.push(envFinals.length ? finalSection(envFinals) : '_no run has finished yet_');
    lines.push(
      ...bestSettings(
        runs.filter((r) => r.env === env),
        envFinals,
      ),
    );
    const envComparisons = comparisons.filter((r) => r.env === env);
    if (envComparisons.length)
      lines.push('', '### SR variant minus baseline', '', comparisonSection(envComparisons));
    lines.push('', ...fig('learning'), '', ...fig('percentiles'));
    const envCurves = curves.filter((c) => c.env === env);
    if (envCurves.length) {
      lines.push('', '### Robustness (return mean ± std over episodes)', '', robustnessSection(envCurves));
      lines.push('', ...fig('robustness'), '', ...fig('smoothness'));
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
