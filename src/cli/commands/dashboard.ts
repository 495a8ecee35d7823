/** `sr2l dashboard [FOLDER]`: the web dashboard of a run or sweep folder, or its export as one HTML file. */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
// the server and the exporter load only for this command
const loadServer = () => import('../../dashboard/server.js');
const loadExport = () => import('../../dashboard/export.js');

function portOf(v: string): number {
  const port = Number(v);
  if (!/^\d+$/.test(v) || port > 65535)
    throw new UsageError(
      `--port = ${JSON.stringify(v)} is invalid; allowed: an integer 0..65535 (0: any free port)`,
    );
  return port;
}

/** Resolves at the first SIGINT or SIGTERM. */
const stopSignal = (): Promise<void> =>
  new Promise((ok) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      ok();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

export const dashboard: Command = {
  summary:
    'serve a web dashboard of runs (curves, gradients, robustness; live), or --export it as one HTML file',
  usage:
    'sr2l dashboard [FOLDER] [--port 6006] [--host 127.0.0.1] [--export FILE.html]\n\n' +
    'FOLDER (default: .) is a run folder, a sweep folder, or a folder of either. The server is\n' +
    'read-only, serves only files inside FOLDER, and listens on 127.0.0.1 unless --host says\n' +
    'otherwise (--host 0.0.0.0 exposes your runs to the network). Curves update while runs train.\n' +
    '--export FILE.html writes the runs table, curves and robustness figures into one\n' +
    'self-contained file (no server, works offline) and exits.',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '6006' },
        host: { type: 'string', default: '127.0.0.1' },
        export: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 1)
      throw new UsageError(`expected at most one folder, got ${positionals.length}`);
    const folder = positionals[0] ?? '.';
    if (values.export !== undefined) {
      if (!/\.html?$/i.test(values.export))
        throw new UsageError(
          `--export = ${JSON.stringify(values.export)}: expected a file name ending in .html`,
        );
      const { exportDashboard } = await loadExport();
      const r = await exportDashboard(folder, values.export).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      console.log(`${values.export}: ${r.runs} runs, ${(r.bytes / 1024).toFixed(1)} KiB`);
      return 0;
    }
    const port = portOf(values.port);
    const { startDashboard } = await loadServer();
    const server = await startDashboard({ folder, port, host: values.host }).catch(
      (e: NodeJS.ErrnoException) => {
        throw new UsageError(
          e.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port` : e.message,
        );
      },
    );
    console.log(`sr2l dashboard of ${server.root}\n  ${server.url}/   (Ctrl-C stops it)`);
    await stopSignal();
    await server.close();
    return 0;
  },
};
