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
  rankSettings,
  robustnessCurves,
} from './aggregate.js';
import { type ClaimRow, MIN_SEEDS_FOR_VERDICT, claimTable, decidable, isDecided } from './claims.js';
import { FAMILY_ALPHA, holmAdjusted } from './holm.js';
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
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns = 1,
): string {
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

const VERDICT: Record<ClaimRow['verdict'], string> = {
  held: 'held',
  reversed: 'reversed',
  unclear: 'no clear difference',
  'too few': `too few seeds (< ${MIN_SEEDS_FOR_VERDICT})`,
};

function claimEffect(r: ClaimRow): string {
  const op = r.kind === 'spread' ? '×' : r.effect.value >= 0 ? '+' : '';
  return `${op}${fmt(r.effect.value)} [${fmt(r.effect.ciLow)}, ${fmt(r.effect.ciHigh)}]`;
}

function claimSection(rows: readonly ClaimRow[]): string {
  return table(
    [
      'comparison',
      'claim',
      'measure',
      'SR',
      'baseline',
      'SR − baseline (spread: SR / baseline) [95% CI]',
      'seeds',
      'verdict',
    ],
    rows.map((r) => [
      `${r.variant} vs ${r.baseline}`,
      r.kind,
      r.measure,
      fmt(r.sr),
      fmt(r.base),
      claimEffect(r),
      `${r.n} vs ${r.nBase}`,
      VERDICT[r.verdict],
    ]),
    3,
  );
}

/** A claim row, with the sweep it comes from when rows of several sweeps are shown together. */
export type LabeledClaim = ClaimRow & { sweep?: string };

/**
 * One line per (sweep,) env and SR variant, one column per claim: the verdicts at a glance.
 * The sweep column appears when the rows carry one.
 */
export function claimsAtAGlance(rows: readonly LabeledClaim[]): string {
  const columns = [...new Set(rows.map((r) => (r.kind === 'decline' ? r.measure : r.kind)))];
  // which way each claim points, so a reader can tell a gain from a loss in the effect
  const claimed = (c: string): string =>
    c === 'spread'
      ? `${c} (SR / base; claim < 1)`
      : `${c} (SR − base; claim ${c.startsWith('return lost') ? '<' : '>'} 0)`;
  const labeled = rows.some((r) => r.sweep !== undefined);
  const key = (r: LabeledClaim): string => [r.sweep ?? '', r.env, r.variant, r.baseline].join('\u0000');
  const groups = new Map<string, LabeledClaim[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return table(
    [...(labeled ? ['sweep'] : []), 'env', 'comparison', ...columns.map(claimed)],
    [...groups.values()].map((mine) => {
      const first = mine[0]!;
      return [
        ...(labeled ? [first.sweep ?? ''] : []),
        first.env,
        `${first.variant} vs ${first.baseline}`,
        ...columns.map((c) => {
          const r = mine.find((x) => (x.kind === 'decline' ? x.measure : x.kind) === c);
          return r ? claimCell(r) : '–';
        }),
      ];
    }),
    labeled ? 3 : 2,
  );
}

/** A verdict's p-values and whether it survives, e.g. "permutation p = 0.0004, Holm-adjusted 0.0051 (survives)". */
export function holmText(p: number, adjusted: number | undefined): string {
  if (adjusted === undefined) return 'no p-value';
  // "p = 0.0002", or "p < 0.0001" below what 10000 shuffles resolve
  const is = (x: number): string => (fmtP(x).startsWith('<') ? fmtP(x) : `= ${fmtP(x)}`);
  return `permutation p ${is(p)}, Holm-adjusted ${fmtP(adjusted)} (${adjusted < FAMILY_ALPHA ? 'survives' : 'does not survive'})`;
}

/** How many of the claims' verdicts survive Holm's correction over all of them, in words. */
export function holmSummary<C extends Pick<ClaimRow, 'p' | 'verdict'>>(
  claims: readonly C[],
  holm: ReadonlyMap<C, number>,
  resamples: number,
): string {
  const decided = claims.filter(isDecided);
  const surviving = decided.filter((c) => (holm.get(c) ?? 1) < FAMILY_ALPHA).length;
  return (
    `Many claims at once: at a 5% error rate each, about ${fmt(0.05 * holm.size)} of the ${holm.size} tested (those with enough seeds for a verdict) ` +
    "would reach a verdict by chance alone. Holm's correction of their permutation p-values " +
    `(${resamples} label shuffles each, @stdlib/stats-padjust) keeps the chance of any false ` +
    `verdict among them at 5%: **${surviving} of the ${decided.length} verdicts survive it**.`
  );
}

/** A claim's verdict with its effect and interval, e.g. "held (-31.13 [-44.32, -18.37])". */
export function claimCell(r: ClaimRow): string {
  return `${VERDICT[r.verdict]} (${claimEffect(r)})`;
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
  const claims = claimTable(runs, { resamples: opts.resamples ?? 10000, seed: opts.seed ?? 0 });
  const finished = runs.filter((r) => r.finished).length;
  const epsScales = [...new Set(runs.flatMap((r) => (r.robustness ? [r.robustness.epsScale] : [])))];
  const lines: string[] = [
    `# Sweep \`${results.name}\``,
    '',
    `${runs.length} runs, ${finished} finished; folder \`${results.dir}\`.`,
    ...(opts.provenance?.length ? ['', ...opts.provenance.map((p) => `- ${p}`)] : []),
    '',
    `Final return = ${finalReturnText(results)} of each finished run (runs still in progress ` +
      `appear in the learning curves only). Std is the sample std (n − 1); ` +
      `percentiles interpolate linearly between order statistics (mathjs). Differences: mean(SR) − mean(baseline), ` +
      `95% percentile-bootstrap interval with ${opts.resamples ?? 10000} resamples of each group (seed ${opts.seed ?? 0}), ` +
      `two-sided Welch's t-test (@stdlib/stats-ttest2). Robustness: episodes of all evaluated policies pooled per ε; ` +
      `area under the mean-return curve by the trapezoid rule${epsScales.length ? ` (ε scale: ${epsScales.join(', ')})` : ''}.`,
  ];
  if (claims.length)
    lines.push(
      '',
      "## The paper's claims at a glance",
      '',
      CLAIMS_EXPLAINED,
      '',
      holmSummary(
        claims,
        holmAdjusted(decidable(claims), (c) => c.p),
        opts.resamples ?? 10000,
      ),
      '',
      claimsAtAGlance(claims),
    );
  const ranked = rankSettings(runs);
  if (ranked.length) {
    const envs = envsOf(runs);
    lines.push(
      '',
      '## Settings ranked over envs',
      '',
      "Per env, each setting's mean final return over seeds rescaled to [0, 1] across the algorithm's " +
        'settings (0 = worst, 1 = best), so every env weighs the same; score = the mean over envs.',
      '',
      table(
        ['algorithm', 'setting', ...envs, 'score'],
        ranked.map((r) => [
          r.algo,
          r.setting,
          ...envs.map((e) => (r.means[e] === null ? '–' : fmt(r.means[e]!))),
          r.score.toFixed(2),
        ]),
        2,
      ),
    );
  }
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
    const envClaims = claims.filter((r) => r.env === env);
    if (envClaims.length) lines.push('', "### The paper's claims", '', claimSection(envClaims));
    lines.push('', ...fig('learning'), '', ...fig('percentiles'));
    const envCurves = curves.filter((c) => c.env === env);
    if (envCurves.length) {
      lines.push('', '### Robustness (return mean ± std over episodes)', '', robustnessSection(envCurves));
      lines.push('', ...fig('robustness'), '', ...fig('smoothness'));
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

/** What the claims tables check, and when a claim gets a verdict. */
export const CLAIMS_EXPLAINED =
  'SR beats its baseline in mean final return (mean), varies less across seeds (spread), has a higher ' +
  '10th percentile (worst case) and loses less return under perturbation (decline: per policy, clean return ' +
  'minus the return at the largest ε). A claim reads "held" or "reversed" only when its 95% bootstrap ' +
  `interval over seeds excludes no difference, and only with at least ${MIN_SEEDS_FOR_VERDICT} seeds per group.`;

/** How a run's final return is read, in words (the report's method line). */
export function finalReturnText(r: Pick<SweepResults, 'metric' | 'finalWindow' | 'finalWeight'>): string {
  const col = `\`${r.metric}\``;
  if (r.finalWindow === 1) return `${col} of the last iteration`;
  return r.finalWeight === 'episodes'
    ? `mean over the episodes of the last ${r.finalWindow} iterations (each iteration's ${col} weighted by its episode count)`
    : `mean of ${col} over the last ${r.finalWindow} iterations`;
}
