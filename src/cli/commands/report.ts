/** `sr2l report SWEEP_DIR`: the Markdown reproduction report with tables, statistics and figures. */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
// vega, vega-lite and resvg load only when a figure is drawn, not on every sr2l start
const loadReport = () => import('../../report/index.js');
import { CLAIMS_USAGE, reportClaimsCommand } from './report-claims.js';
import { FRONTIER_USAGE, reportFrontierCommand } from './report-frontier.js';
import {
  BOOTSTRAP_FLAGS,
  REPORT_FLAGS,
  REPORT_FLAGS_HELP,
  asUsageError,
  bootstrapOptions,
  reportOptions,
} from './report-options.js';

export const report: Command = {
  summary:
    'write the Markdown report of a sweep: return statistics, SR vs baseline tests, robustness, figures',
  usage: `sr2l report SWEEP_DIR [options]
       ${FRONTIER_USAGE}
       ${CLAIMS_USAGE}

${REPORT_FLAGS_HELP}
  --resamples N   bootstrap resamples for the confidence intervals (default 10000)
  --seed N        seed of the bootstrap (default 0)
  --note TEXT     a line for the report's header (repeatable), e.g. the command lines and commit

\`report frontier\` pools the runs of the sweeps (e.g. an ε–λ grid and the sweep with the TRPO
reference), and per env and ε_attack plots each setting's clean return (x) against its return
under --attack (y), means over the evaluated policies with 95% intervals, and tests each setting
against --reference on both axes (bootstrap); frontier.md opens with the verdict.

\`report claims\` checks the paper's claims in each sweep (as \`report\` does) and writes them
all to one file: a line per sweep, env and SR variant, and first the claims that reached a
verdict.`,
  async run(argv) {
    if (argv[0] === 'frontier') return reportFrontierCommand(argv.slice(1));
    if (argv[0] === 'claims') return reportClaimsCommand(argv.slice(1));
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...REPORT_FLAGS,
        ...BOOTSTRAP_FLAGS,
      },
    });
    if (positionals.length !== 1)
      throw new UsageError(`expected one sweep folder, got ${positionals.length}`);
    const bootstrap = bootstrapOptions(values);
    const { report: file, figures } = await asUsageError(async () =>
      (await loadReport()).reportSweep(positionals[0]!, {
        ...reportOptions(values),
        ...bootstrap,
      }),
    );
    console.log(`wrote ${file} with ${figures.length} figures`);
    return 0;
  },
};
