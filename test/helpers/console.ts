/** Console capture for the CLI tests. */
import { vi } from 'vitest';

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
