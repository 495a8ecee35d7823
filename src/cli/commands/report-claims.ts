/** `sr2l report claims DIR [DIR ...] --out FILE.md`: the paper's claims in several sweeps, one table. */
import { parseArgs } from 'node:util';
import { UsageError } from '../command.js';
import {
  BOOTSTRAP_FLAGS,
  REPORT_FLAGS,
  asUsageError,
  bootstrapOptions,
  reportOptions,
} from './report-options.js';

export const CLAIMS_USAGE = `sr2l report claims SWEEP_DIR [SWEEP_DIR ...] --out FILE.md [--final-window K]
                  [--final-weight iterations|episodes] [--resamples N] [--seed N] [--note TEXT]`;

export async function reportClaimsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...REPORT_FLAGS, ...BOOTSTRAP_FLAGS },
  });
  if (!positionals.length) throw new UsageError('report claims: give at least one sweep folder');
  if (!values.out) throw new UsageError('report claims: --out FILE.md is required');
  const { metric, finalWindow, finalWeight } = reportOptions(values);
  const bootstrap = bootstrapOptions(values);
  const { reportClaims } = await import('../../report/claims-report.js');
  const { report, claims, decided } = await asUsageError(() =>
    reportClaims(positionals, {
      out: values.out!,
      ...(metric ? { metric } : {}),
      finalWindow,
      finalWeight,
      ...bootstrap,
    }),
  );
  console.log(`wrote ${report}: ${claims.length} claims, ${decided.length} with a verdict`);
  return 0;
}
