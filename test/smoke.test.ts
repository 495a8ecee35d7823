import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { version } from '../src/index.js';

test('version is package.json version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(version).toBe(pkg.version);
});
