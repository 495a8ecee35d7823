import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { version } from '../../src/index.js';
import { captureConsole as capture } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-cli-');

afterEach(() => vi.restoreAllMocks());

describe('sr2l command line', () => {
  test('--help lists every command; --version prints the package version', async () => {
    const io = capture();
    expect(await main(['--help'])).toBe(0);
    expect(io.out()).toMatch(/usage: sr2l <command>/);
    expect(io.out()).toMatch(/info\s+print versions/);
    expect(await main(['--version'])).toBe(0);
    expect(io.out()).toContain(version);
  });

  test('an unknown command exits 2 and lists the valid ones', async () => {
    const io = capture();
    expect(await main(['trian'])).toBe(2);
    expect(io.err()).toMatch(/unknown command 'trian'; available: .*info/);
    // names of Object.prototype's members are not commands either
    expect(await main(['constructor'])).toBe(2);
    expect(io.err()).toMatch(/unknown command 'constructor'/);
  });

  test('a command and its dependencies load only when it runs: --version does not load mathjs', async () => {
    // a resolve hook logs every module URL the process loads (ESM never enters require.cache)
    const { execFileSync } = await import('node:child_process');
    const log = join(await tempDir(), 'modules.log');
    const hook = `import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }`;
    const run = (command: string): string[] => {
      const script = [
        "const { register } = await import('node:module');",
        `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`,
        "const { main } = await import('./src/cli/index.ts');",
        `await main([${JSON.stringify(command)}]);`,
      ].join('\n');
      rmSync(log, { force: true });
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: 'ignore',
      });
      return readFileSync(log, 'utf8').split('\n');
    };
    // mathjs (eval → report statistics) is what made every start slow
    expect(run('--version').some((u) => u.includes('/mathjs/'))).toBe(false);
    expect(run('eval').some((u) => u.includes('/mathjs/'))).toBe(true);
  });

  test('info --json reports versions and backends', async () => {
    const io = capture();
    expect(await main(['info', '--json'])).toBe(0);
    const facts = JSON.parse(io.out()) as { sr2l: string; backends: Record<string, unknown> };
    expect(facts.sr2l).toBe(version);
    expect(Object.keys(facts.backends)).toEqual(['cpu', 'webgpu']);
    const webgpu = facts.backends.webgpu as {
      available: boolean;
      adapter?: { backend: string };
      reason?: string;
    };
    // either an adapter with its backend named, or the reason there is none
    expect(webgpu.available ? webgpu.adapter?.backend : webgpu.reason).toBeTruthy();
    if (process.env.REQUIRE_WEBGPU === '1') expect(webgpu.available).toBe(true);
  });

  test('an unknown flag is a usage error, not a crash', async () => {
    const io = capture();
    expect(await main(['info', '--jsno'])).toBe(2);
    expect(io.err()).toMatch(/sr2l info: .*jsno/);
  });

  test('demo prints a falling loss and rejects bad flags', async () => {
    const io = capture();
    expect(await main(['demo', '--steps', '150', '--every', '50'])).toBe(0);
    const mses = [...io.out().matchAll(/mse (\S+)/g)].map((m) => Number(m[1]));
    expect(mses.length).toBeGreaterThanOrEqual(4);
    expect(mses[mses.length - 1]!).toBeLessThan(mses[0]! / 10);
    expect(await main(['demo', '--steps', '0'])).toBe(2);
    expect(io.err()).toMatch(/--steps must be a positive integer, got '0'/);
  });
});
