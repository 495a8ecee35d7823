/**
 * sr2l's core bundles for a web page: `import * as sr from 'sr2l'` with platform browser
 * resolves to src/browser.ts, pulls in no Node built-in (the build fails naming the importer
 * if one does), and leaves mujoco-js in a chunk of its own that only initMujoco loads.
 */
import { describe, expect, test } from 'vitest';
import { browserEntrySource, bundleForBrowser } from './bundle-for-browser.js';

const NODE_BUILTIN = /^(node:|(fs|path|os|url|module|worker_threads|crypto|child_process|process)(\/|$))/;

describe('the core in a browser bundle', () => {
  test('package.json sends browsers to src/browser.ts, and it bundles without Node built-ins', async () => {
    expect(browserEntrySource()).toMatch(/src\/browser\.ts$/);
    const { files, entry, metafile } = await bundleForBrowser({ file: browserEntrySource() });
    const outputs = Object.entries(metafile.outputs);
    // the only import left outside the bundle is mujoco-js's guarded Node branch, in its chunk
    for (const [name, out] of outputs) {
      const external = out.imports.filter((i) => i.external).map((i) => i.path);
      const ownsMujoco = Object.keys(out.inputs).some((f) => f.includes('mujoco-js'));
      expect(
        external.filter((p) => p !== 'module' || !ownsMujoco),
        name,
      ).toEqual([]);
    }
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((f) => NODE_BUILTIN.test(f))).toEqual([]);
    // none of the Node-only modules (files, worker threads) is in the bundle
    expect(
      inputs.filter((f) => /safetensors-file|atomic-write|worker-vector-env|nn\/checkpoint/.test(f)),
    ).toEqual([]);
    const main = outputs.find(([, o]) => o.entryPoint !== undefined)![1];
    expect(Object.keys(main.inputs).some((f) => f.includes('mujoco-js'))).toBe(false);
    const mujocoChunk = outputs.find(([, o]) => Object.keys(o.inputs).some((f) => f.includes('mujoco-js')));
    expect(mujocoChunk, 'mujoco-js is bundled as a chunk of its own').toBeDefined();
    expect(main.imports.some((i) => i.kind === 'dynamic-import' && i.path === mujocoChunk![0])).toBe(true);
    const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      `[sr2l] browser bundle of src/browser.ts: entry ${entry} ${kib(files.get(entry)!.length)}; ` +
        `all chunks ${kib([...files.values()].reduce((n, f) => n + f.length, 0))} (unminified)`,
    );
  });
});
