/**
 * The page's JavaScript: one esbuild bundle of app/main.ts (three.js, the t quantile and
 * sr2l's engine for the replay; nothing from a CDN; three and the t quantile are development
 * dependencies, since only the bundle uses them). mujoco-js is not in it: the replay imports
 * it from the server (MUJOCO_URL). `npm run build` writes the bundle to
 * dist/dashboard/app.js; when that file is absent (running from the sources: tests, tsx) it
 * is built on first use, and esbuild, a development dependency, is loaded only then.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

export const PREBUILT = fileURLToPath(new URL('./app.js', import.meta.url));

/** app/main.ts beside this file (sources) or in the package's src/ (from dist/). */
function entryPoint(): string {
  for (const rel of ['./app/main.ts', '../../src/dashboard/app/main.ts']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('dashboard: neither the built page (app.js) nor its sources (app/main.ts) were found');
}

/**
 * esbuild settings for a page that imports sr2l's core: ES modules with code splitting, so
 * mujoco-js (11 MB, imported dynamically by initMujoco) is a chunk of its own, loaded only
 * by a page that uses MuJoCo. `module` is mujoco-js's Node-only branch (`import('module')`
 * under ENVIRONMENT_IS_NODE), never taken in a browser.
 */
export const BROWSER_BUILD: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  splitting: true,
  external: ['module'],
  legalComments: 'none',
  logLevel: 'silent',
};

/** Where the page imports mujoco-js from: the server serves the package's file (routes.ts). */
export const MUJOCO_URL = '/mujoco.js';

/** The file of the mujoco-js package (one ES module, 11 MB, the WebAssembly inside). */
export const mujocoFile = (): string => fileURLToPath(import.meta.resolve('mujoco-js'));

// mujoco-js stays out of the bundle: the replay imports it from the server on first use,
// so app.js stays small and an exported file (which has no replay) does not carry it
const mujocoFromServer: Plugin = {
  name: 'mujoco-from-server',
  setup(build) {
    build.onResolve({ filter: /^mujoco-js$/ }, () => ({ path: MUJOCO_URL, external: true }));
  },
};

/** Bundles the page with esbuild (minified ES2022 for the browser): one file, app.js. */
export async function buildAppBundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    ...BROWSER_BUILD,
    splitting: false,
    entryPoints: [entryPoint()],
    plugins: [mujocoFromServer],
    minify: true,
    write: false,
  });
  return result.outputFiles[0]!.text;
}

let cached: Promise<string> | null = null;

/** The bundle: the prebuilt file when present, else built once per process. */
export function appBundle(): Promise<string> {
  cached ??= existsSync(PREBUILT) ? readFile(PREBUILT, 'utf8') : buildAppBundle();
  cached.catch(() => (cached = null));
  return cached;
}
