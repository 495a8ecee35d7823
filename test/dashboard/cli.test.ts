/** `sr2l dashboard` from the command line: bad options named, and --export's self-contained page. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import type { ExportedData } from '../../src/dashboard/api-types.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { writeSweep } from './fixtures.js';

const temp = tempDirs('sr2l-dash-cli-');
let root: string;

beforeAll(async () => {
  root = await temp();
  await writeSweep(join(root, 'sweep'));
});
afterEach(() => vi.restoreAllMocks());

describe('sr2l dashboard', () => {
  it('names what is wrong with its options', async () => {
    const cases: [string[], RegExp][] = [
      [[root, '--port', 'x'], /--port = "x" is invalid; allowed: an integer 0\.\.65535/],
      [[root, '--port', '70000'], /--port = "70000" is invalid/],
      [[root, 'other'], /at most one folder, got 2/],
      [[root, '--export', 'out.png'], /ending in \.html/],
      [[join(root, 'missing'), '--export', join(root, 'x.html')], /missing cannot be opened/],
      [[join(root, 'missing'), '--port', '0'], /missing cannot be opened/],
    ];
    for (const [args, message] of cases) {
      const c = captureConsole();
      expect(await main(['dashboard', ...args])).toBe(2);
      expect(c.err()).toMatch(message);
      vi.restoreAllMocks();
    }
  });

  it("--export writes one HTML file with the bundle and every run's data, nothing fetched from elsewhere", async () => {
    const out = join(root, 'supplement.html');
    const c = captureConsole();
    expect(await main(['dashboard', root, '--export', out])).toBe(0);
    expect(c.out()).toMatch(/supplement\.html: 6 runs, [\d.]+ KiB/);
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href="(?!data:)/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const json = /<script type="application\/json" id="sr2l-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(json) as ExportedData;
    expect(data.runs.runs).toHaveLength(6);
    expect(Object.keys(data.progress)).toHaveLength(6);
    expect(data.robustness.runs).toHaveLength(6);
  });
});
