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
import { claimTable } from './claims.js';
import { type LabeledClaim, claimCell, claimsAtAGlance } from './markdown.js';
import { type LoadSweepOptions, loadSweepResults } from './sweep-data.js';

export interface ClaimsReportOptions extends LoadSweepOptions {
  /** the Markdown file to write */
  out: string;
  resamples?: number;
  seed?: number;
  provenance?: readonly string[];
}

/** Every claim of every sweep in `dirs`, each labelled with its sweep's name. */
export async function sweepClaims(
  dirs: readonly string[],
  opts: Omit<ClaimsReportOptions, 'out'>,
): Promise<LabeledClaim[]> {
  const out: LabeledClaim[] = [];
  for (const dir of dirs) {
    const results = await loadSweepResults(dir, opts);
    const rows = claimTable(results.runs, { resamples: opts.resamples ?? 10000, seed: opts.seed ?? 0 });
    out.push(...rows.map((r) => ({ ...r, sweep: results.name })));
  }
  return out;
}

export async function reportClaims(
  dirs: readonly string[],
  opts: ClaimsReportOptions,
): Promise<{ report: string; claims: LabeledClaim[] }> {
  const claims = await sweepClaims(dirs, opts);
  if (!claims.length)
    throw new Error(
      `no claim to check in ${dirs.join(', ')}: a claim needs an SR variant and its baseline with at least 2 finished runs each in one env`,
    );
  const window = opts.finalWindow ?? 1;
  const decided = claims.filter((c) => c.verdict === 'held' || c.verdict === 'reversed');
  const md = [
    "# The paper's claims across sweeps",
    ...(opts.provenance ?? []).map((l) => `> ${l}`),
    '',
    `Sweeps: ${dirs.join(', ')}. Final return: ${window > 1 ? `the last ${window} iterations, weighed by ${opts.finalWeight ?? 'iterations'}` : 'the last iteration'}. ` +
      'Each claim as in `sr2l report`: SR beats its baseline in mean final return (mean), varies less across seeds ' +
      '(spread), has a higher 10th percentile (worst case) and loses less return under each attack at its largest ε ' +
      '(decline); "held" or "reversed" only when the 95% bootstrap interval over seeds excludes no difference.',
    '',
    '## Claims that reached a verdict',
    '',
    ...(decided.length
      ? decided.map(
          (c) => `- ${c.sweep}, ${c.env}, ${c.variant} vs ${c.baseline}, ${c.measure}: ${claimCell(c)}`,
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
  return { report: opts.out, claims };
}
