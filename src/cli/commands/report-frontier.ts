/** `sr2l report frontier DIR [DIR ...]`: clean against attacked return per setting, compared with a reference. */
import { parseArgs } from 'node:util';
import { UsageError } from '../command.js';
import { numberList } from '../number-list.js';
import { BOOTSTRAP_FLAGS, asUsageError, bootstrapOptions } from './report-options.js';

export const FRONTIER_USAGE = `sr2l report frontier SWEEP_DIR [SWEEP_DIR ...] --out DIR [--attack mad] [--eps-attack 0.05,0.1]
                  [--reference trpo] [--envs A,B] [--resamples N] [--seed N] [--note TEXT]`;

export async function reportFrontierCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      attack: { type: 'string', default: 'mad' },
      'eps-attack': { type: 'string', default: '0.05,0.1' },
      reference: { type: 'string', default: 'trpo' },
      envs: { type: 'string' },
      ...BOOTSTRAP_FLAGS,
    },
  });
  if (!positionals.length) throw new UsageError('report frontier: give at least one sweep folder');
  if (!values.out) throw new UsageError('report frontier: --out DIR is required (the folder of frontier.md)');
  const epsAttack = numberList('eps-attack', values['eps-attack']);
  const bootstrap = bootstrapOptions(values);
  const envs = values.envs?.split(',').map((e) => e.trim());
  if (envs?.some((e) => e === '')) throw new UsageError(`--envs: an empty name in '${values.envs}'`);
  const { reportFrontier } = await import('../../report/frontier-report.js');
  const { report, figures, points } = await asUsageError(() =>
    reportFrontier(positionals, {
      outDir: values.out!,
      attack: values.attack,
      epsAttack,
      reference: values.reference,
      ...(envs ? { envs } : {}),
      ...bootstrap,
    }),
  );
  console.log(`wrote ${report}: ${points.length} points, ${figures.length} figures`);
  return 0;
}
