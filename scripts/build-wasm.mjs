#!/usr/bin/env node
/**
 * Builds src/kernels/cpu/wasm/kernels.wasm from the AssemblyScript sources beside it
 * (128-bit SIMD, optimized, no runtime/GC) and copies it next to the compiled loader in
 * dist/ when that exists. Fails loudly (non-zero exit, the compiler's diagnostics) when
 * the WebAssembly cannot be produced, so `npm run build` and `npm install` fail too.
 * `--check` builds into memory and fails if the committed kernels.wasm differs.
 */
/* global process, console, Buffer, WebAssembly */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'src/kernels/cpu/wasm');
const target = join(dir, 'kernels.wasm');

const ASC_FLAGS = [
  ...['--enable', 'simd', '-O3', '--runtime', 'stub', '--noAssert'],
  // a name section, so CPU profiles show kernel names instead of wasm-function[n]
  '--debug',
  ...['--outFile', 'kernels.wasm'],
];

/** Compiles the kernels (or another entry file) and returns the module's bytes, or throws with the diagnostics. */
export async function buildKernels(entry = join(dir, 'assembly/index.ts')) {
  let bytes = null;
  const { error, stderr } = await asc.main([entry, ...ASC_FLAGS], {
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) bytes = contents;
    },
  });
  if (error || !bytes)
    throw new Error(`build-wasm: asc failed: ${error?.message ?? 'no output'}\n${stderr.toString()}`);
  // the module must validate with the SIMD feature it was built for
  if (!WebAssembly.validate(bytes))
    throw new Error('build-wasm: asc produced a module that does not validate');
  return Buffer.from(bytes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const bytes = await buildKernels();
    if (process.argv.includes('--check')) {
      if (!existsSync(target) || !readFileSync(target).equals(bytes)) {
        throw new Error(`build-wasm: ${target} is stale; run \`npm run build:wasm\` and commit it`);
      }
    } else {
      writeFileSync(target, bytes);
      const distDir = join(root, 'dist/kernels/cpu/wasm');
      if (existsSync(join(root, 'dist'))) {
        mkdirSync(distDir, { recursive: true });
        copyFileSync(target, join(distDir, 'kernels.wasm'));
      }
      console.log(`build-wasm: wrote ${target} (${bytes.length} bytes)`);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
