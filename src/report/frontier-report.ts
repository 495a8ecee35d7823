/**
 * `sr2l report frontier`: the frontier of one or more evaluated sweeps (e.g. the ε–λ grid
 * and the sweep holding the TRPO reference) as figures and frontier.md: per env and attack
 * strength, a scatter of clean against attacked return and a table with every setting's
 * difference from the reference, and first the verdict: which settings, if any, beat the
 * reference on both axes.
 */
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { DEFAULT_SIZE, type FigureSize, frontierSpec } from './figures.js';
import { type FrontierOptions, type FrontierPoint, frontierPoints, rankByWorstAxis } from './frontier.js';
import { FAMILY_ALPHA, holmAdjusted } from './holm.js';
import { fmt, table } from './markdown.js';
import { type WrittenFigure, writeFigure } from './render.js';
import { ReportInputError } from './report-input-error.js';
import { type RunResult, loadSweepResults } from './sweep-data.js';

export interface FrontierReportOptions extends FrontierOptions {
  outDir: string;
  /** only these envs (default: every env of the sweeps) */
  envs?: readonly string[];
  size?: FigureSize;
  pngScale?: number;
  provenance?: readonly string[];
}

/**
 * The runs of several sweeps; a variant found in more than one sweep for an env is prefixed
 * by its sweep's name and followed by the options that tell its runs apart (a sweep of one
 * setting names none, e.g. the same algorithm at other fixed ε in two held-out sweeps).
 */
export async function loadFrontierRuns(dirs: readonly string[]): Promise<RunResult[]> {
  const sweeps = await Promise.all(dirs.map((d) => loadSweepResults(d)));
  const groups = new Map<string, { sweeps: Set<number>; runs: RunResult[] }>();
  sweeps.forEach((s, i) => {
    for (const r of s.runs) {
      const key = `${r.env}\0${r.variant}`;
      const g = groups.get(key) ?? { sweeps: new Set(), runs: [] };
      g.sweeps.add(i);
      g.runs.push(r);
      groups.set(key, g);
    }
  });
  // only the variants found in more than one sweep are renamed
  const apart = new Map(
    [...groups].filter(([, g]) => g.sweeps.size > 1).map(([key, g]) => [key, differingOptions(g.runs)]),
  );
  return sweeps.flatMap((s) =>
    s.runs.map((r) => {
      const differing = apart.get(`${r.env}\0${r.variant}`);
      if (!differing) return r;
      const named = differing.map((k) => `${k}=${String(r.options[k])}`);
      return { ...r, variant: `${s.name}: ${r.variant}${named.length ? ` [${named.join(',')}]` : ''}` };
    }),
  );
}

/** The option names whose values are not the same in every one of `runs`, in order of first appearance. */
function differingOptions(runs: readonly RunResult[]): string[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.options)))];
  const same = (k: string): boolean =>
    runs.every((r) => JSON.stringify(r.options[k]) === JSON.stringify(runs[0]!.options[k]));
  return names.filter((k) => !same(k));
}

const interval = (a: { mean: number; lo: number; hi: number }): string =>
  `${fmt(a.mean)} [${fmt(a.lo)}, ${fmt(a.hi)}]`;

function pointRow(p: FrontierPoint): string[] {
  const diff = (c: FrontierPoint['cleanVsReference']): string =>
    c === null ? '–' : `${fmt(c.difference)} [${fmt(c.ciLow)}, ${fmt(c.ciHigh)}]`;
  return [
    p.reference ? `**${p.variant}** (reference)` : p.variant,
    String(p.policies),
    interval(p.clean),
    interval(p.attacked),
    diff(p.cleanVsReference),
    diff(p.attackedVsReference),
    p.reference ? '' : p.beatsReferenceOnBoth ? '**yes**' : 'no',
  ];
}

/** One verdict line per env × ε_attack; a setting that beats the reference says whether that survives Holm. */
function verdicts(points: readonly FrontierPoint[], reference: string): string[] {
  const holm = holmAdjusted(points, (p) => p.pBoth);
  const survives = (p: FrontierPoint): string => {
    const a = holm.get(p);
    return a === undefined
      ? p.variant
      : `${p.variant} (Holm-adjusted p ${fmt(a)} over the ${holm.size} settings × ε_attack: ${a < FAMILY_ALPHA ? 'survives' : 'does not survive'})`;
  };
  const cells = [...new Set(points.map((p) => `${p.env}\0${p.epsAttack}`))];
  return cells.map((cell) => {
    const [env, eps] = cell.split('\0') as [string, string];
    const here = points.filter((p) => p.env === env && String(p.epsAttack) === eps);
    const ref = here.find((p) => p.reference);
    if (!ref) return `- ${env}, ε_attack ${eps}: no evaluated ${reference} policies, no comparison`;
    const both = here.filter((p) => p.beatsReferenceOnBoth).map(survives);
    const estimates = here
      .filter((p) => !p.reference && p.clean.mean > ref.clean.mean && p.attacked.mean > ref.attacked.mean)
      .map((p) => p.variant);
    return (
      `- ${env}, ε_attack ${eps}: ` +
      (both.length
        ? `beats ${reference} on both axes (95% intervals of both differences above 0): ${both.join('; ')}`
        : `no setting beats ${reference} on both axes with both intervals above 0`) +
      (estimates.length && !both.length
        ? `; higher on both by point estimate only: ${estimates.join('; ')}`
        : '')
    );
  });
}

/** Per env, the three settings whose weakest axis against the reference is strongest. */
function bestByWorstAxis(points: readonly FrontierPoint[]): string[] {
  const ranked = rankByWorstAxis(points);
  return [...new Set(ranked.map((r) => r.env))].map((env) => {
    const top = ranked.filter((r) => r.env === env).slice(0, 3);
    const [first, ...next] = top.map((r) => `${r.variant} (${fmt(r.worst)})`);
    return `- ${env}: ${first}` + (next.length ? `; next ${next.join(', ')}` : '');
  });
}

/** The runs of the envs listed (all without a list); an env no run has is an error naming those there are. */
function onlyEnvs(runs: readonly RunResult[], envs: readonly string[] | undefined): RunResult[] {
  if (!envs) return [...runs];
  const held = [...new Set(runs.map((r) => r.env))];
  const missing = envs.find((e) => !held.includes(e));
  if (missing !== undefined)
    throw new ReportInputError(`--envs: '${missing}' is in none of the sweeps; they hold ${held.join(', ')}`);
  return runs.filter((r) => envs.includes(r.env));
}

export async function reportFrontier(
  dirs: readonly string[],
  opts: FrontierReportOptions,
): Promise<{ report: string; figures: WrittenFigure[]; points: FrontierPoint[] }> {
  const runs = onlyEnvs(await loadFrontierRuns(dirs), opts.envs);
  const points = frontierPoints(runs, opts);
  if (!points.length)
    throw new Error(
      `no policy of ${dirs.join(', ')} was evaluated under '${opts.attack}' at ε ${opts.epsAttack.join(', ')} (run sr2l eval in each run folder first)`,
    );
  await mkdir(opts.outDir, { recursive: true });
  const figDir = join(opts.outDir, 'figures');
  const figures: WrittenFigure[] = [];
  const sections: string[] = [];
  for (const env of [...new Set(points.map((p) => p.env))]) {
    sections.push(`## ${env}`);
    for (const eps of opts.epsAttack) {
      const here = points.filter((p) => p.env === env && p.epsAttack === eps);
      if (!here.length) continue;
      const title = `${env}: clean return vs return under ${opts.attack} at ε ${eps}`;
      const fig = await writeFigure(
        figDir,
        `${env}-frontier-${opts.attack}-${eps}`,
        frontierSpec(title, here, opts.size ?? DEFAULT_SIZE),
        opts.pngScale ?? 2,
      );
      figures.push(fig);
      sections.push(
        `### ε_attack = ${eps}`,
        `![${title}](${relative(opts.outDir, fig.png)})`,
        table(
          [
            'setting',
            'policies',
            'clean return [95% CI]',
            `return under ${opts.attack} [95% CI]`,
            `clean − ${opts.reference} [95% CI]`,
            `attacked − ${opts.reference} [95% CI]`,
            'beats on both',
          ],
          here.map(pointRow),
        ),
      );
    }
  }
  const md = [
    `# Clean return against return under ${opts.attack}`,
    ...(opts.provenance ?? []).map((l) => `> ${l}`),
    '',
    `Sweeps: ${dirs.join(', ')}. One point per setting: the mean over its evaluated policies of each policy's`,
    `mean episode return without attack (x) and under ${opts.attack} (y), with Student-t 95% intervals over`,
    `policies; differences from ${opts.reference} with percentile-bootstrap 95% intervals. A setting that`,
    "beats it on both axes is also tested for chance: its p-value is the larger of the two axes' permutation",
    `p-values (${opts.resamples ?? 10000} label shuffles each), adjusted with Holm's method over every setting and ε_attack here.`,
    '',
    '## Verdict',
    ...verdicts(points, opts.reference),
    '',
    '## Best setting by its weakest axis',
    `Per env, the setting whose smallest difference from ${opts.reference} over the clean axis and every`,
    'attacked one is largest (that difference in parentheses): the setting to face costlier attacks. It is chosen on these',
    'same policies, so the gap is an optimistic estimate.',
    ...bestByWorstAxis(points),
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  const report = join(opts.outDir, 'frontier.md');
  await writeFileAtomic(report, new TextEncoder().encode(md));
  return { report, figures, points };
}
