/** `sr2l plot SWEEP_DIR`: the paper's figures (Fig. 2–4 and smoothness) as SVG and PNG. */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
// vega, vega-lite and resvg load only when a figure is drawn, not on every sr2l start
const loadReport = () => import('../../report/index.js');
import { REPORT_FLAGS, REPORT_FLAGS_HELP, asUsageError, reportOptions } from './report-options.js';

export const plot: Command = {
  summary: 'draw learning curves, percentiles, robustness and smoothness figures of a sweep (SVG + PNG)',
  usage: `sr2l plot SWEEP_DIR [options]\n\n${REPORT_FLAGS_HELP}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: REPORT_FLAGS });
    if (positionals.length !== 1)
      throw new UsageError(`expected one sweep folder, got ${positionals.length}`);
    const figures = await asUsageError(async () =>
      (await loadReport()).plotSweep(positionals[0]!, reportOptions(values)),
    );
    for (const f of figures) console.log(`${f.svg}\n${f.png}`);
    console.log(`${figures.length} figures`);
    return 0;
  },
};
