/** The WebAssembly kernels build reproducibly, and a build that cannot produce them fails loudly. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

interface BuildScript {
  buildKernels(entry?: string): Promise<Buffer>;
  embeddedModule(bytes: Uint8Array): string;
}
// @ts-expect-error: a plain .mjs build script without type declarations
const script = (await import('../../../scripts/build-wasm.mjs')) as BuildScript;

describe('scripts/build-wasm.mjs', () => {
  test('the committed kernels.wasm is what the sources build to', async () => {
    const { readFileSync } = await import('node:fs');
    const committed = readFileSync(new URL('../../../src/kernels/cpu/wasm/kernels.wasm', import.meta.url));
    const built = await script.buildKernels();
    expect(built.equals(committed)).toBe(true);
  });

  test('kernels-wasm.ts, which the loader uses (no file access: browsers too), embeds the committed kernels.wasm', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = new URL('../../../src/kernels/cpu/wasm/', import.meta.url);
    const committed = readFileSync(new URL('kernels.wasm', dir));
    expect(readFileSync(new URL('kernels-wasm.ts', dir), 'utf8')).toBe(script.embeddedModule(committed));
  });

  test('a source that does not compile rejects with the compiler diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr2l-asc-'));
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, 'export function f(x: i32): i32 { return x + undefinedName; }\n');
    await expect(script.buildKernels(bad)).rejects.toThrow(/asc failed[\s\S]*undefinedName/);
  });
});
