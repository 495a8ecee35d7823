/** `sr2l report SWEEP_DIR`: the Markdown reproduction report with tables, statistics and figures. */
import { parseArgs } from 'node:util';
import { version } from '../../version.js';
import { UsageError, type Command } from '../command.js';
// vega, vega-lite and resvg load only when a figure is drawn, not on every sr2l start
const loadReport = () => import('../../report/index.js');
import { FRONTIER_USAGE, reportFrontierCommand } from './report-frontier.js';
import { REPORT_FLAGS, REPORT_FLAGS_HELP, asUsageError, reportOptions } from './report-options.js';

export const report: Command = {
  summary:
    'write the Markdown report of a sweep: return statistics, SR vs baseline tests, robustness, figures',
  usage: `sr2l report SWEEP_DIR [options]
       ${FRONTIER_USAGE}

${REPORT_FLAGS_HELP}
  --resamples N   bootstrap resamples for the confidence intervals (default 10000)
  --seed N        seed of the bootstrap (default 0)
  --note TEXT     a line for the report's header (repeatable), e.g. the command lines and commit

\`report frontier\` pools the runs of the sweeps (e.g. an ε–λ grid and the sweep with the TRPO
reference), and per env and ε_attack plots each setting's clean return (x) against its return
under --attack (y), means over the evaluated policies with 95% intervals, and tests each setting
against --reference on both axes (bootstrap); frontier.md opens with the verdict.`,
  async run(argv) {
    if (argv[0] === 'frontier') return reportFrontierCommand(argv.slice(1));
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...REPORT_FLAGS,
        resamples: { type: 'string', default: '10000' },
        seed: { type: 'string', default: '0' },
        note: { type: 'string', multiple: true, default: [] },
      },
    });
    if (positionals.length !== 1)
      throw new UsageError(`expected one sweep folder, got ${positionals.length}`);
    const resamples = Number(values.resamples);
    const seed = Number(values.seed);
    if (!(Number.isInteger(resamples) && resamples > 0))
      throw new UsageError(`--resamples must be a positive integer, got '${values.resamples}'`);
    if (!(Number.isInteger(seed) && seed >= 0))
      throw new UsageError(`--seed must be an integer ≥ 0, got '${values.seed}'`);
    const provenance = [`sr2l ${version}, generated ${new Date().toISOString()}`, ...values.note];
    const { report: file, figures } = await asUsageError(async () =>
      (await loadReport()).reportSweep(positionals[0]!, {
        ...reportOptions(values),
        resamples,
        seed,
        provenance,
      }),
    );
    console.log(`wrote ${file} with ${figures.length} figures`);
    return 0;
  },
};
