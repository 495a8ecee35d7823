/**
 * scripts/device/stage.mjs, the part of the GPU session kit that decides what travels
 * (docs/gpu-session.md): the staged app must run from itself alone. Needs dist/ built
 * (`npm run build`; CI's install builds it); pack.sh itself takes minutes and is checked by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';

const tmp = tempDirs('sr2l-stage-');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsFiles(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : [],
  );
}

describe('stage.mjs', () => {
  test('stages the benchmarks and the parity script with every import resolvable inside the app', async () => {
    if (!existsSync('dist/index.js')) throw new Error('dist/ is not built: run `npm run build` first');
    const app = join(await tmp(), 'app');
    const r = spawnSync(process.execPath, ['scripts/device/stage.mjs', app], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);

    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type).toBe('module');
    for (const entry of ['bench/compile/index.js', 'bench/population/index.js', 'scripts/device/parity.js'])
      expect(existsSync(join(app, entry)), entry).toBe(true);
    expect(existsSync(join(app, 'bench/compile/torch_ddpg.py'))).toBe(true);
    // of webgpu's five dawn.node builds only the device's travels
    expect(readdirSync(join(app, 'node_modules/webgpu/dist'))).toEqual(['linux-x64']);
    for (const pkg of ['mujoco-js', 'vitest', 'tsx', 'benchmark'])
      expect(existsSync(join(app, 'node_modules', pkg, 'package.json')), pkg).toBe(true);

    // our transpiled files: each relative import names a file of the app, none reaches src/
    const unresolved: string[] = [];
    let checked = 0;
    for (const dir of ['bench', 'scripts', 'test'])
      for (const file of jsFiles(join(app, dir)))
        for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
          const target = join(dirname(file), spec!);
          checked++;
          if (!existsSync(target) || relative(app, target).startsWith('src/'))
            unresolved.push(`${relative(app, file)}: ${spec}`);
        }
    expect(checked, 'relative imports found in the staged files').toBeGreaterThan(20);
    expect(unresolved).toEqual([]);
  });
});
