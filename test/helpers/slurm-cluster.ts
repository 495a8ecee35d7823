/**
 * A one-node Slurm of its own for a test file: munged, slurmctld and slurmd started from a
 * config generated in a temporary folder (docs/slurm.md "A one-node Slurm for the tests"). Its
 * own munge socket and key, ports picked free at start, state, spool, pid and log files in the
 * folder: it never meets another Slurm or munged on the machine, nor another test file's.
 * `stop()` cancels its jobs and ends exactly the daemons it started, by the ids in their pid
 * files; a process exit hook does the same if the test run dies first.
 *
 * Where Slurm cannot start, `startSlurmCluster` returns the reason; under CI (CI=true or
 * REQUIRE_SLURM=1) it throws it instead, so the suite fails rather than skips.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';

export interface SlurmCluster {
  dir: string;
  /** the environment Slurm's clients need (SLURM_CONF, PATH with sbin) */
  env: NodeJS.ProcessEnv;
  /** runs a Slurm client and returns its stdout (rejects with its stderr) */
  run(cmd: string, args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
export const slurmRequired = (): boolean => process.env.CI === 'true' || process.env.REQUIRE_SLURM === '1';

/** Starts the cluster, or says why it cannot (throws that under CI). */
export async function startSlurmCluster(): Promise<SlurmCluster | { unavailable: string }> {
  try {
    return await start();
  } catch (e) {
    const reason = (e as Error).message;
    if (slurmRequired()) throw new Error(`a real Slurm is required here (CI) but ${reason}`, { cause: e });
    console.warn(`[sr2l] SKIPPING the Slurm tests: ${reason}`);
    return { unavailable: reason };
  }
}

function which(cmd: string): string | null {
  for (const d of PATH.split(':')) if (d && existsSync(join(d, cmd))) return join(d, cmd);
  return null;
}

function exec(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) =>
    execFile(cmd, args, { env, timeout: 30_000 }, (err, stdout, stderr) =>
      err
        ? rej(new Error(`${cmd} ${args.join(' ')}: ${(stderr || stdout || err.message).trim()}`))
        : res(stdout),
    ),
  );
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

async function readPid(path: string, ms = 10_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0) return pid;
    if (Date.now() > deadline) throw new Error(`${path} did not appear`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function tail(path: string, lines = 6): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '(no log)');
  return text.trimEnd().split('\n').slice(-lines).join(' | ');
}

async function start(): Promise<SlurmCluster> {
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'srun'].filter(
    (c) => !which(c),
  );
  if (missing.length)
    throw new Error(
      `${missing.join(', ')} not installed (Debian: apt-get install --no-install-recommends slurm-wlm munge)`,
    );
  if (process.getuid?.() !== 0)
    throw new Error(`slurmd must run as root to start jobs, and this is uid ${process.getuid?.()}`);
  const dir = await mkdtemp(join(tmpdir(), 'sr2l-slurm-'));
  // munged wants its socket folder reachable by everyone and its key readable only by itself
  await chmod(dir, 0o711);
  const run = join(dir, 'run');
  await mkdir(run, { mode: 0o755 });
  await chmod(run, 0o755);
  for (const d of ['state', 'spool']) await mkdir(join(dir, d));
  const key = join(dir, 'munge.key');
  await writeFile(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(run, 'munge.socket');
  const host = hostname().split('.')[0]!;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const memMiB = Math.max(500, Math.floor((totalmem() / 2 ** 20) * 0.8));
  const conf = join(dir, 'slurm.conf');
  await writeFile(
    conf,
    [
      `ClusterName=sr2ltest${ctldPort}`,
      `SlurmctldHost=${host}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      // cred_expire: a requeued job waits this long before it may start again (default 120 s);
      // sooner, slurmd refuses it ("Job credential revoked")
      `AuthInfo=socket=${socket},cred_expire=10`,
      'CredType=cred/munge',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(run, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(run, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      // a finished job stays visible to squeue/scontrol for this long (the tests read states)
      'MinJobAge=300',
      'KillWait=10',
      `NodeName=${host} CPUs=${availableParallelism()} RealMemory=${memMiB} State=UNKNOWN`,
      // jobs of 'urgent' preempt those of 'debug', which Slurm requeues (a lab cluster's
      // scavenger queue)
      'PreemptType=preempt/partition_prio',
      'PreemptMode=REQUEUE',
      `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP PriorityTier=1`,
      `PartitionName=urgent Nodes=${host} MaxTime=INFINITE State=UP PriorityTier=2 PreemptMode=OFF`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, PATH, SLURM_CONF: conf };
  const pids: number[] = [];
  const kill = (signal: NodeJS.Signals): void => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, signal);
  };
  const onExit = (): void => kill('SIGKILL');
  process.on('exit', onExit);
  const cluster: SlurmCluster = {
    dir,
    env,
    run: (cmd, args) => exec(cmd, args, env),
    stop: async () => {
      // jobs first: their slurmstepd outlives slurmd by design
      await exec('scancel', ['--full', '--user=root'], env).catch(() => {});
      for (let i = 0; i < 50; i++) {
        const q = await exec('squeue', ['--noheader'], env).catch(() => '');
        if (!q.trim()) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      kill('SIGTERM');
      for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
      kill('SIGKILL');
      process.off('exit', onExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
  const daemon = async (cmd: string, args: string[], pidFile: string, log: string): Promise<void> => {
    // each daemonizes: the started process exits once the daemon runs
    const code = await new Promise<number | null>((res) => {
      const child = spawn(which(cmd)!, args, { env, stdio: 'ignore' });
      child.once('error', () => res(-1));
      child.once('exit', res);
    });
    if (code !== 0) throw new Error(`${cmd} did not start (exit ${code}); ${log}: ${await tail(log)}`);
    pids.push(await readPid(pidFile));
  };
  try {
    const mungeLog = join(dir, 'munged.log');
    await daemon(
      'munged',
      [
        `--socket=${socket}`,
        `--key-file=${key}`,
        `--pid-file=${join(run, 'munged.pid')}`,
        `--log-file=${mungeLog}`,
        `--seed-file=${join(dir, 'munged.seed')}`,
      ],
      join(run, 'munged.pid'),
      mungeLog,
    );
    await daemon('slurmctld', [], join(run, 'slurmctld.pid'), join(dir, 'slurmctld.log'));
    await daemon('slurmd', [], join(run, 'slurmd.pid'), join(dir, 'slurmd.log'));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = await exec('sinfo', ['--noheader', '--format=%T'], env).catch((e: Error) => e.message);
      if (state.trim() === 'idle') break;
      if (Date.now() > deadline)
        throw new Error(
          `the node is not idle after 30 s (sinfo: ${state.trim()}); slurmctld.log: ${await tail(join(dir, 'slurmctld.log'))}; slurmd.log: ${await tail(join(dir, 'slurmd.log'))}`,
        );
      await new Promise((r) => setTimeout(r, 300));
    }
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}
