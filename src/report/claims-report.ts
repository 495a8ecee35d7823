/**
 * `sr2l report claims`: the paper's claims checked in several sweeps at once (e.g. the
 * paper's settings and another harness), one Markdown file: every (sweep, env, SR variant)
 * on a line with each claim's verdict, then the claims that reached a verdict, listed. A
 * question such as "under which harness, if any, does SR²L improve return and robustness
 * together" reads off it without opening each sweep's report.
 */
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import padjust from '@stdlib/stats-padjust';
import { writeFileAtomic } from '../util/atomic-write.js';
import { claimTable, isDecided } from './claims.js';
import {
  CLAIMS_EXPLAINED,
  type LabeledClaim,
  claimCell,
  claimsAtAGlance,
  finalReturnText,
  fmt,
} from './markdown.js';
import { type LoadSweepOptions, loadSweepResults } from './sweep-data.js';
import { ReportInputError } from './report-input-error.js';

export interface ClaimsReportOptions extends LoadSweepOptions {
  /** the Markdown file to write */
  out: string;
  resamples?: number;
  seed?: number;
  provenance?: readonly string[];
}

/** Every claim of every sweep in `dirs`, each labelled with its sweep's name, and how each sweep's final return was read. */
export async function sweepClaims(
  dirs: readonly string[],
  opts: Omit<ClaimsReportOptions, 'out'>,
): Promise<{ claims: LabeledClaim[]; finalReturns: string[] }> {
  const claims: LabeledClaim[] = [];
  const finalReturns = new Set<string>();
  for (const dir of dirs) {
    const results = await loadSweepResults(dir, opts);
    const rows = claimTable(results.runs, { resamples: opts.resamples ?? 10000, seed: opts.seed ?? 0 });
    claims.push(...rows.map((r) => ({ ...r, sweep: results.name })));
    finalReturns.add(finalReturnText(results));
  }
  return { claims, finalReturns: [...finalReturns] };
}

/** The family-wise error rate Holm's correction keeps. */
const FAMILY_ALPHA = 0.05;

/** Holm-adjusted p-values of the claims whose p is defined, by claim. */
function holmAdjusted(claims: readonly LabeledClaim[]): Map<LabeledClaim, number> {
  const tested = claims.filter((c) => Number.isFinite(c.p));
  const adjusted = tested.length
    ? padjust(
        tested.map((c) => c.p),
        'holm',
      )
    : [];
  return new Map(tested.map((c, i) => [c, adjusted[i]!]));
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function holmText(p: number, adjusted: number | undefined): string {
  if (adjusted === undefined) return 'no p-value';
  return `permutation p = ${fmtP(p)}, Holm-adjusted ${fmtP(adjusted)} (${adjusted < FAMILY_ALPHA ? 'survives' : 'does not survive'})`;
}

export async function reportClaims(
  dirs: readonly string[],
  opts: ClaimsReportOptions,
): Promise<{ report: string; claims: LabeledClaim[]; decided: LabeledClaim[] }> {
  const { claims, finalReturns } = await sweepClaims(dirs, opts);
  if (!claims.length)
    throw new ReportInputError(
      `no claim to check in ${dirs.join(', ')}: a claim needs an SR variant and its baseline with at least 2 finished runs each in one env`,
    );
  const decided = claims.filter(isDecided);
  const holm = holmAdjusted(claims);
  const tested = claims.filter((c) => holm.has(c)).length;
  const surviving = decided.filter((c) => holm.get(c)! < FAMILY_ALPHA).length;
  const md = [
    "# The paper's claims across sweeps",
    ...(opts.provenance ?? []).map((l) => `> ${l}`),
    '',
    `Sweeps: ${dirs.join(', ')}. Final return: ${finalReturns.join('; ')} of each finished run. ` +
      `Each claim as in \`sr2l report\`: ${CLAIMS_EXPLAINED}`,
    '',
    `Many claims at once: at a 5% error rate each, about ${fmt(0.05 * tested)} of the ${tested} tested ` +
      "would reach a verdict by chance alone. Holm's correction of their permutation p-values " +
      `(${opts.resamples ?? 10000} label shuffles each, @stdlib/stats-padjust) keeps the chance of any false ` +
      `verdict among them at 5%: **${surviving} of the ${decided.length} verdicts survive it**.`,
    '',
    '## Claims that reached a verdict',
    '',
    ...(decided.length
      ? decided.map(
          (c) =>
            `- ${c.sweep}, ${c.env}, ${c.variant} vs ${c.baseline}, ${c.measure}: ${claimCell(c)}; ` +
            holmText(c.p, holm.get(c)),
        )
      : ['_none: every interval covers no difference (or too few seeds)_']),
    '',
    '## Every claim',
    '',
    claimsAtAGlance(claims),
    '',
  ].join('\n');
  await mkdir(dirname(opts.out), { recursive: true });
  await writeFileAtomic(opts.out, new TextEncoder().encode(md));
  return { report: opts.out, claims, decided };
}
