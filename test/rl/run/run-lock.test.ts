/**
 * The per-run lock: a second writer is refused with its owner's host and pid named; a lock whose
 * owner is gone (this host) or silent for longer than the stale timeout (any host) is taken over
 * with a message; `sr2l train` on a locked folder fails with that one line.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../../src/cli/index.js';
import {
  RUN_LOCK,
  RunLockedError,
  acquireRunLock,
  readRunLock,
  type LockOwner,
} from '../../../src/rl/run/run-lock.js';
import { captureConsole } from '../../helpers/console.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-run-lock-');
afterEach(() => vi.restoreAllMocks());

const owner = (o: Partial<LockOwner>): LockOwner => {
  const now = new Date().toISOString();
  return { host: hostname(), pid: process.pid, since: now, heartbeat: now, token: 'someone-else', ...o };
};
/** The id of a process that has exited (and been reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('run lock', () => {
  test('a second writer is refused with the owner named; release frees the folder', async () => {
    const dir = await tempDir();
    const lock = await acquireRunLock(dir);
    expect(lock.tookOver).toBeNull();
    expect((await readRunLock(dir))!.pid).toBe(process.pid);
    const second = acquireRunLock(dir);
    await expect(second).rejects.toThrow(RunLockedError);
    await expect(second).rejects.toThrow(
      new RegExp(`is in use by process ${process.pid} on host ${hostname()} \\(since `),
    );
    await lock.release();
    expect(await readRunLock(dir)).toBeNull();
    const again = await acquireRunLock(dir);
    await again.release();
  });

  test('stale locks are taken over with a message: owner gone on this host, or no heartbeat', async () => {
    const dir = await tempDir();
    const path = join(dir, RUN_LOCK);
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);

    const dead = deadPid();
    await writeFile(path, JSON.stringify(owner({ pid: dead })));
    const a = await acquireRunLock(dir, { warn });
    expect(a.tookOver).toMatch(
      new RegExp(`stale lock of process ${dead} on host ${hostname()} \\(that process is gone\\)`),
    );
    expect(warnings.at(-1)).toContain(a.tookOver!);
    await a.release();

    // another node: its pid means nothing here, only the heartbeat's age counts
    const old = new Date(Date.now() - 3600_000).toISOString();
    await writeFile(path, JSON.stringify(owner({ host: 'node-elsewhere', pid: 4242, heartbeat: old })));
    const b = await acquireRunLock(dir, { warn, staleSeconds: 600 });
    expect(b.tookOver).toMatch(
      /process 4242 on host node-elsewhere \(no heartbeat for 3600 s, more than 600 s\)/,
    );
    await b.release();

    await writeFile(path, JSON.stringify(owner({ host: 'node-elsewhere', pid: 4242 })));
    await expect(acquireRunLock(dir, { warn })).rejects.toThrow(
      /in use by process 4242 on host node-elsewhere/,
    );

    await writeFile(path, 'not json');
    const c = await acquireRunLock(dir, { warn });
    expect(c.tookOver).toMatch(/took over the unreadable lock/);
    await c.release();
  });

  test('the heartbeat refreshes the lock', async () => {
    const dir = await tempDir();
    const lock = await acquireRunLock(dir, { heartbeatSeconds: 0.05, warn: () => {} });
    const first = Date.parse((await readRunLock(dir))!.heartbeat);
    // polled, not a fixed sleep: on a loaded machine a 50 ms timer may fire much later
    let latest = first;
    for (let waited = 0; latest <= first && waited < 10_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
      latest = Date.parse((await readRunLock(dir))?.heartbeat ?? '0');
    }
    await lock.release();
    expect(latest).toBeGreaterThan(first);
  });

  test('release waits for a heartbeat in flight, which would otherwise write the released lock back', async () => {
    const dir = await tempDir();
    // a heartbeat every millisecond, so releases land in the middle of one
    for (let i = 0; i < 200; i++) {
      const lock = await acquireRunLock(dir, { heartbeatSeconds: 0.001, warn: () => {} });
      await new Promise((r) => setTimeout(r, i % 5));
      await lock.release();
      await new Promise((r) => setImmediate(r));
      expect(await readRunLock(dir), `release ${i}`).toBeNull();
    }
  });

  test('a lock taken over meanwhile is not released by its old owner', async () => {
    const dir = await tempDir();
    // no heartbeat during the test, so none can race the thief's write
    const lock = await acquireRunLock(dir, { heartbeatSeconds: 3600, warn: () => {} });
    const thief = owner({ host: 'node-elsewhere', pid: 7 });
    await writeFile(join(dir, RUN_LOCK), JSON.stringify(thief));
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, RUN_LOCK), 'utf8'))).toEqual(thief);
  });

  test('sr2l train on a folder another process holds fails with one line naming it (exit 1)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, RUN_LOCK), JSON.stringify(owner({ host: 'node-elsewhere', pid: 99 })));
    const out = captureConsole();
    const args = [
      'train',
      '--algo',
      'trpo',
      '--env',
      'Pendulum-v1',
      '--iterations',
      '1',
      '--batch-size',
      '32',
    ];
    expect(await main([...args, '--out', dir, '--quiet'])).toBe(1);
    expect(out.err()).toMatch(/^sr2l train: .* is in use by process 99 on host node-elsewhere .*run\.lock/);
    expect(out.err().split('\n')).toHaveLength(1);
  });
});
