/**
 * Bundles an entry for a web page the way a user's bundler would (esbuild, platform browser,
 * ES modules with code splitting), resolving `sr2l` through package.json's `browser`
 * condition to its source. Node built-ins are not provided, so a core module that needs
 * one fails the build, naming the importer.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { BROWSER_BUILD } from '../../src/dashboard/bundle.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The file package.json's `exports['.'].browser` names, as its source under src/. */
export function browserEntrySource(): string {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    exports: Record<string, { browser?: { default?: string } }>;
  };
  const built = pkg.exports['.']?.browser?.default;
  if (!built?.startsWith('./dist/'))
    throw new Error(`package.json: exports['.'].browser.default is ${built}`);
  return `${ROOT}src/${built.slice('./dist/'.length).replace(/\.js$/, '.ts')}`;
}

const selfReference: esbuild.Plugin = {
  name: 'sr2l-self-reference',
  setup(build) {
    build.onResolve({ filter: /^sr2l$/ }, () => ({ path: browserEntrySource() }));
  },
};

export interface BrowserBundle {
  /** output file name (relative) → contents */
  files: Map<string, Uint8Array>;
  /** the entry chunk's name */
  entry: string;
  metafile: esbuild.Metafile;
}

/** Bundles a file, or a page's JavaScript source given as text. */
export async function bundleForBrowser(entry: { file: string } | { source: string }): Promise<BrowserBundle> {
  const outdir = `${ROOT}.browser-bundle`;
  const result = await esbuild.build({
    ...BROWSER_BUILD,
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: { contents: entry.source, resolveDir: ROOT, sourcefile: 'page.js', loader: 'js' as const },
        }),
    outdir,
    write: false,
    metafile: true,
    plugins: [selfReference],
  });
  const files = new Map(result.outputFiles!.map((f) => [f.path.slice(outdir.length + 1), f.contents]));
  const [name] = Object.entries(result.metafile!.outputs).find(([, o]) => o.entryPoint !== undefined) ?? [];
  return { files, entry: name!.slice(name!.lastIndexOf('/') + 1), metafile: result.metafile! };
}
