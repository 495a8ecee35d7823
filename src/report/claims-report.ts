/**
 * `sr2l report claims`: the paper's claims checked in several sweeps at once (e.g. the
 * paper's settings and another harness), one Markdown file: every (sweep, env, SR variant)
 * on a line with each claim's verdict, then the claims that reached a verdict, listed. A
 * question such as "under which harness, if any, does SR²L improve return and robustness
 * together" reads off it without opening each sweep's report.
 */
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.js';
import { claimTable, decidable, isDecided } from './claims.js';
import {
  CLAIMS_EXPLAINED,
  type LabeledClaim,
  claimCell,
  claimsAtAGlance,
  finalReturnText,
  holmSummary,
  holmText,
} from './markdown.js';
import { holmAdjusted } from './holm.js';
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
  const holm = holmAdjusted(decidable(claims), (c) => c.p);
  const md = [
    "# The paper's claims across sweeps",
    ...(opts.provenance ?? []).map((l) => `> ${l}`),
    '',
    `Sweeps: ${dirs.join(', ')}. Final return: ${finalReturns.join('; ')} of each finished run. ` +
      `Each claim as in \`sr2l report\`: ${CLAIMS_EXPLAINED}`,
    '',
    holmSummary(claims, holm, opts.resamples ?? 10000),
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
