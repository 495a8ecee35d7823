/** `sr2l info`: versions and backends, for bug reports and run records. */
import { parseArgs } from 'node:util';
import { version } from '../../version.js';
import type { Command } from '../command.js';

export const info: Command = {
  summary: 'print versions and the available compute backends',
  usage: 'sr2l info [--json]',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const facts = {
      sr2l: version,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      backends: { cpu: { available: true, dtypes: ['float32', 'float64', 'int32'] } },
    };
    if (values.json) console.log(JSON.stringify(facts, null, 2));
    else {
      console.log(`sr2l ${facts.sr2l} on Node ${facts.node} (${facts.platform})`);
      console.log('backends:');
      console.log('  cpu      available (float32, float64, int32)');
    }
    return 0;
  },
};
