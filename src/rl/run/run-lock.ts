/**
 * One writer per run folder: `<run>/run.lock` names the process that trains in it (host, pid,
 * since, heartbeat). Two Slurm tasks given the same run, or a person resuming a run that a node
 * still trains, would otherwise interleave progress rows and checkpoints.
 *
 * The file is created exclusively (`wx`). A held lock is refused with an error naming its owner
 * unless it is stale: its owner was on this host and is gone, or its heartbeat (refreshed every
 * `heartbeatSeconds` while held) is older than `staleSeconds`; the only test possible for an
 * owner on another node, whose process ids mean nothing here. A stale lock is taken over with a
 * message. A child process may work under its parent's lock (`sr2l sweep` holds the lock while
 * its `sr2l train` child trains).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';

export const RUN_LOCK = 'run.lock';
/** A lock whose heartbeat is older than this is stale (seconds; 10 heartbeats). */
export const LOCK_STALE_SECONDS = 600;
export const LOCK_HEARTBEAT_SECONDS = 60;

export interface LockOwner {
  host: string;
  pid: number;
  /** ISO time the owner took the lock */
  since: string;
  /** ISO time of the owner's last heartbeat */
  heartbeat: string;
  /** tells this owner's lock from a later owner's with the same host and pid */
  token: string;
}

export class RunLockedError extends Error {
  override name = 'RunLockedError';
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `${dir} is in use by process ${owner.pid} on host ${owner.host} (since ${owner.since}, last heartbeat ${owner.heartbeat}; ${join(dir, RUN_LOCK)}); stop that process first, or wait until its lock is stale (${LOCK_STALE_SECONDS} s without a heartbeat)`,
    );
  }
}

export interface RunLock {
  readonly owner: LockOwner;
  /** what happened to a previous owner's lock (null: there was none) */
  readonly tookOver: string | null;
  release(): Promise<void>;
}

export interface RunLockOptions {
  staleSeconds?: number;
  heartbeatSeconds?: number;
  /** messages about taken-over locks (default: console.error) */
  warn?: (message: string) => void;
}

/** Takes `<dir>/run.lock` (the folder must exist), or throws RunLockedError naming the owner. */
export async function acquireRunLock(dir: string, opts: RunLockOptions = {}): Promise<RunLock> {
  const staleSeconds = opts.staleSeconds ?? LOCK_STALE_SECONDS;
  const warn = opts.warn ?? ((m: string) => console.error(m));
  const path = join(dir, RUN_LOCK);
  const now = new Date().toISOString();
  const owner: LockOwner = {
    host: hostname(),
    pid: process.pid,
    since: now,
    heartbeat: now,
    token: `${hostname()}:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`,
  };
  let tookOver: string | null = null;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, JSON.stringify(owner) + '\n', { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw e;
    }
    const held = await readOwner(path);
    if (held === 'gone') continue; // released between our create and our read
    if (held !== 'unreadable' && held.host === owner.host && held.pid === process.ppid)
      return { owner: held, tookOver: null, release: async () => {} };
    const why = held === 'unreadable' ? 'its file is unreadable' : staleness(held, staleSeconds);
    if (why === null) throw new RunLockedError(dir, held as LockOwner);
    // move the stale file aside under a name of our own: of two processes taking over, one rename wins
    const aside = `${path}.stale-${process.pid}`;
    try {
      await rename(path, aside);
    } catch {
      continue;
    }
    await rm(aside, { force: true });
    tookOver =
      held === 'unreadable'
        ? `took over the unreadable lock ${path}`
        : `took over the stale lock of process ${held.pid} on host ${held.host} (${why}) in ${dir}`;
    warn(`sr2l: ${tookOver}`);
  }
  // the heartbeat in flight, if any: release waits for it, or its write would put the
  // released lock back (one beat at a time, so a slow disk cannot pile them up)
  let beating: Promise<void> | null = null;
  const beat: NodeJS.Timeout = setInterval(
    () => {
      beating ??= heartbeat(path, owner).then((ours) => {
        beating = null;
        if (ours) return;
        clearInterval(beat);
        warn(`sr2l: the lock ${path} is no longer ours; another process took it over`);
      });
    },
    (opts.heartbeatSeconds ?? LOCK_HEARTBEAT_SECONDS) * 1000,
  );
  beat.unref();
  return {
    owner,
    tookOver,
    release: async () => {
      clearInterval(beat);
      await beating;
      const held = await readOwner(path);
      if (held !== 'gone' && held !== 'unreadable' && held.token === owner.token)
        await rm(path, { force: true });
    },
  };
}

/** The lock's owner as recorded in `<dir>/run.lock`, or null when the folder is not locked. */
export async function readRunLock(dir: string): Promise<LockOwner | null> {
  const held = await readOwner(join(dir, RUN_LOCK));
  return held === 'gone' || held === 'unreadable' ? null : held;
}

/** Why `owner`'s lock is stale, or null while it holds. */
export function staleness(owner: LockOwner, staleSeconds = LOCK_STALE_SECONDS): string | null {
  if (owner.host === hostname() && !processAlive(owner.pid)) return 'that process is gone';
  const age = (Date.now() - Date.parse(owner.heartbeat)) / 1000;
  if (!(age <= staleSeconds)) return `no heartbeat for ${Math.round(age)} s, more than ${staleSeconds} s`;
  return null;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o.host === 'string' && Number.isInteger(o.pid) && typeof o.heartbeat === 'string'
      ? o
      : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Refreshes the heartbeat while the lock is still ours (a stalled owner's lock may have been taken over). */
async function heartbeat(path: string, owner: LockOwner): Promise<boolean> {
  const held = await readOwner(path);
  if (held === 'gone' || held === 'unreadable' || held.token !== owner.token) return false;
  owner.heartbeat = new Date().toISOString();
  await writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(owner) + '\n')).catch(() => {});
  return true;
}
