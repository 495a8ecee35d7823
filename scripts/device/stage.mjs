/**
 * Stages the GPU session kit's app folder (called by scripts/device/pack.sh; docs/gpu-session.md):
 *   <out>/package.json        {"type":"module"}, so node reads the .js files as ES modules
 *   <out>/dist/               a copy of the built library
 *   <out>/bench, scripts, test   the benchmark suites and the parity script, transpiled to .js
 *                             (type stripping only) with their imports of src/ re-pointed at dist/
 *   <out>/node_modules/       only the packages those files reach at run time and vitest's, and of webgpu's
 *                             dawn.node builds only linux-x64's (the device machine is x86-64 Linux)
 * Usage: node scripts/device/stage.mjs <out>   (from the repository root; <out> is emptied first)
 */
/* global process, console */
import { build, transform } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** What the kit runs: the compile and population benchmarks and the dist-based parity check. */
const ENTRIES = ['bench/compile/index.ts', 'bench/population/index.ts', 'scripts/device/parity.ts'];
/** Files the entries read beside themselves at run time (not imports). */
const ASSETS = ['bench/compile/torch_ddpg.py'];
/** Packages dist/ loads with import(variable), which esbuild cannot see. */
const DYNAMIC_PACKAGES = ['webgpu', 'mujoco-js'];
/** run.sh runs the WebGPU test files (TypeScript, from the carried src/ and test/) under vitest, and one
 * of them starts node --import tsx: ~10 MiB of the kit. */
const TEST_RUNNER = ['vitest', 'tsx'];
const PLATFORM = 'linux-x64';

const out = resolve(process.argv[2] ?? '');
if (!process.argv[2])
  throw new Error('stage.mjs: give the output folder, e.g. node scripts/device/stage.mjs .device/stage/app');
if (!existsSync('dist/index.js'))
  throw new Error('stage.mjs: dist/index.js is missing: run `npm run build` first');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Which of our files the entries reach, and which packages: esbuild's import graph.
const graph = await build({
  entryPoints: ENTRIES,
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  metafile: true,
  outdir: join(out, '.unused'),
  logLevel: 'error',
});
const ours = Object.keys(graph.metafile.inputs).filter(
  (f) => !f.startsWith('src/') && !f.includes('node_modules'),
);
const packages = new Set([...DYNAMIC_PACKAGES, ...TEST_RUNNER]);
for (const input of Object.values(graph.metafile.inputs))
  for (const imp of input.imports)
    if (imp.external && !imp.path.startsWith('node:') && !imp.path.startsWith('.'))
      packages.add(
        imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0],
      );

// Our files outside src/: strip types; imports that reach src/ go to dist/ (same layout, .js names).
for (const file of ours) {
  const { code } = await transform(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
  });
  const target = join(out, file.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code.replace(/(['"])((?:\.\.\/)+)src\//g, '$1$2dist/'));
}
for (const file of ASSETS) cpSync(file, join(out, file));
cpSync('dist', join(out, 'dist'), {
  recursive: true,
  filter: (p) => !p.endsWith('.map') && !p.endsWith('.d.ts'),
});
writeFileSync(
  join(out, 'package.json'),
  JSON.stringify({ name: 'sr2l-device-kit', private: true, type: 'module' }) + '\n',
);

/** Node's lookup: the nearest node_modules/<name> walking up from `from`. */
function locate(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`stage.mjs: package '${name}' (needed at run time) is not installed`);
  }
}

// The packages and their dependencies, each copied to the same place relative to the root.
const root = process.cwd();
const seen = new Set();
const queue = [...packages].map((name) => locate(name, root));
while (queue.length > 0) {
  const dir = queue.pop();
  if (seen.has(dir)) continue;
  seen.add(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    try {
      queue.push(locate(dep, dir));
    } catch (e) {
      if (!(dep in (pkg.optionalDependencies ?? {}))) throw e;
    }
  }
}
for (const dir of seen) {
  const target = join(out, relative(root, dir));
  cpSync(dir, target, { recursive: true, dereference: true });
  // webgpu ships dawn.node for five platforms (~130 MB); the device needs one
  const builds = join(target, 'dist');
  if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'webgpu')
    for (const d of readdirSync(builds)) if (d !== PLATFORM) rmSync(join(builds, d), { recursive: true });
}
console.log(
  `stage.mjs: ${ours.length} files transpiled, packages: ${[...seen]
    .map((d) => relative(join(root, 'node_modules'), d))
    .sort()
    .join(', ')}`,
);
