#!/usr/bin/env node
/** The `sr2l` executable. */
import { errorLine, main } from './index.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(errorLine('sr2l', e));
    process.exitCode = 1;
  },
);
