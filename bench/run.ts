/**
 * Benchmark dispatcher: `npm run bench` runs every suite, `npm run bench -- mlp envs`
 * runs the named ones; `--json` is passed through to each suite. Each suite lives in
 * bench/<name>/index.ts and runs when imported.
 */
import { readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const names = args.filter((a) => !a.startsWith('--'));
for (const n of names) {
  if (!suites.includes(n)) {
    console.error(`bench: unknown suite '${n}'; available: ${suites.join(', ')}`);
    process.exit(2);
  }
}
let failed = false;
for (const name of names.length > 0 ? names : suites) {
  if (!flags.includes('--json')) console.log(`\n### bench/${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, name, 'index.ts'), ...flags], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
