/** What the CLI tests share: console capture and temporary folders removed after the file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';

export interface CapturedConsole {
  out(): string;
  err(): string;
  /** stdout then stderr */
  all(): string;
}

/** Silences console.log/error and records their lines (restore with vi.restoreAllMocks). */
export function captureConsole(): CapturedConsole {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  const lines = (calls: unknown[][]) => calls.map((c) => c.join(' ')).join('\n');
  return {
    out: () => lines(log.mock.calls),
    err: () => lines(error.mock.calls),
    all: () => lines([...log.mock.calls, ...error.mock.calls]),
  };
}

/** A factory of temporary folders, all removed when the test file ends. */
export function tempDirs(prefix: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    for (const d of made) await rm(d, { recursive: true, force: true });
  });
  return async () => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
