/** The `sr2l` command line: dispatches to one subcommand per file in ./commands. */
import { UsageError, type Command } from './command.js';
import { version } from '../version.js';

/**
 * Each command loads when it runs: their dependencies differ a lot (eval and report pull in
 * mathjs, whose import alone takes 1.5–5 s here), and a sweep or Slurm task starts one
 * `sr2l train` process per population, so start-up time is paid many times.
 */
export const commands: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./commands/train.js')).train,
  eval: async () => (await import('./commands/eval.js')).evalCommand,
  sweep: async () => (await import('./commands/sweep.js')).sweep,
  plot: async () => (await import('./commands/plot.js')).plot,
  report: async () => (await import('./commands/report.js')).report,
  inspect: async () => (await import('./commands/inspect.js')).inspect,
  dashboard: async () => (await import('./commands/dashboard.js')).dashboard,
  info: async () => (await import('./commands/info.js')).info,
  demo: async () => (await import('./commands/demo.js')).demo,
};

async function help(): Promise<string> {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = await Promise.all(
    Object.entries(commands).map(async ([n, load]) => `  ${n.padEnd(width)}  ${(await load()).summary}`),
  );
  return `sr2l ${version}: robust and smooth deep RL (SR²L)\n\nusage: sr2l <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nsr2l <command> --help shows a command's options; --no-compile (any command, or SR2L_COMPILE=0) runs compiled steps eagerly.`;
}

/**
 * `--no-compile`, accepted by every command: compiled steps (sr.compile) run eagerly.
 * Set through the environment so child processes (sweeps, vector-env workers) follow.
 */
function takeNoCompile(argv: string[]): string[] {
  if (!argv.includes('--no-compile')) return argv;
  process.env.SR2L_COMPILE = '0';
  return argv.filter((a) => a !== '--no-compile');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = takeNoCompile(argv);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    console.error(`sr2l: unknown command '${name}'; available: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`sr2l ${name}: ${(e as Error).message}`);
      return 2;
    }
    console.error(errorLine(`sr2l ${name}`, e));
    return 1;
  }
}

/**
 * Exit codes of every command: 0 done, 1 failed (one line naming the problem), 2 usage (bad
 * flag, file or setting; nothing was started), 130 stopped by a signal after a checkpoint
 * (resumable). A failure prints one line; `SR2L_DEBUG=1` adds the stack trace.
 */
export function errorLine(prefix: string, e: unknown): string {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  const debug = process.env.SR2L_DEBUG === '1' && e instanceof Error ? `\n${e.stack}` : '';
  return `${prefix}: ${message}${debug}`;
}
