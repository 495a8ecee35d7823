/** `sr2l report SWEEP_DIR`: the Markdown reproduction report with tables, statistics and figures. */
import { parseArgs } from 'node:util';
import { version } from '../../version.js';
import { UsageError, type Command } from '../command.js';
// vega, vega-lite and resvg load only when a figure is drawn, not on every sr2l start
const loadReport = () => import('../../report/index.js');
import { REPORT_FLAGS, REPORT_FLAGS_HELP, asUsageError, reportOptions } from './report-options.js';

export const report: Command = {
  summary:
    'write the Markdown report of a sweep: return statistics, SR vs baseline tests, robustness, figures',
  usage: `sr2l report SWEEP_DIR [options]

${REPORT_FLAGS_HELP}
  --resamples N   bootstrap resamples for the confidence intervals (default 10000)
  --seed N        seed of the bootstrap (default 0)
  --note TEXT     a line for the report's header (repeatable), e.g. the command lines and commit`,
  async run(argv) {
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
