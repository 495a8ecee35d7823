/** `--no-compile` is accepted by every command and turns compiled steps off for the process. */
import { afterEach, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { captureConsole } from '../helpers/console.js';

afterEach(() => {
  delete process.env.SR2L_COMPILE;
  vi.restoreAllMocks();
});

test('--no-compile sets SR2L_COMPILE=0 and is removed before the command parses its options', async () => {
  const out = captureConsole();
  expect(await main(['--no-compile', '--version'])).toBe(0);
  expect(out.out()).toMatch(/^\d+\.\d+/);
  expect(process.env.SR2L_COMPILE).toBe('0');
});
