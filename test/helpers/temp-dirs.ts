/** Temporary folders for a test file, all removed when the file's tests end. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A factory of temporary folders named `prefix…` (or the default prefix). */
export function tempDirs(defaultPrefix: string): (prefix?: string) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    for (const d of made) await rm(d, { recursive: true, force: true });
  });
  return async (prefix = defaultPrefix) => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
