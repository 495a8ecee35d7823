/**
 * The dashboard's HTTP server: read-only (GET and HEAD only), bound to 127.0.0.1 unless told
 * otherwise, serving the page, the JSON endpoints (routes.ts) and server-sent events when a
 * run's logs grow (live.ts). A handler's failure is answered as an error and logged; it never
 * reaches the process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveEvent } from './api-types.js';
import { RunWatcher } from './live.js';
import { ROUTES, fileRoute, securityHeaders, type Reply } from './routes.js';
import { HttpError, realFolder } from './safe-path.js';

export interface DashboardOptions {
  folder: string;
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** how often the live poller looks at the runs' files (ms) */
  pollMs?: number;
  /** where unexpected errors are reported (default console.error) */
  log?: (message: string) => void;
}

export interface DashboardServer {
  url: string;
  root: string;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 6006;

function send(res: ServerResponse, reply: Reply, head: boolean): void {
  res.statusCode = reply.status ?? 200;
  res.setHeader('Content-Type', reply.type);
  res.end(head ? undefined : reply.body);
}

const sse = (e: LiveEvent): string => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

/** The event stream: 'ready' once changes are being watched, then one event per change. */
async function events(res: ServerResponse, watcher: RunWatcher): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  const { ready, unsubscribe } = watcher.subscribe((e) => res.write(sse(e)));
  res.on('close', unsubscribe);
  await ready;
  if (!res.closed) res.write(sse({ type: 'ready' }));
}

export async function startDashboard(opts: DashboardOptions): Promise<DashboardServer> {
  const root = await realFolder(opts.folder);
  const log = opts.log ?? ((m: string) => console.error(m));
  const watcher = new RunWatcher(root, opts.pollMs ?? 1000);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    const head = req.method === 'HEAD';
    try {
      if (req.method !== 'GET' && !head) {
        res.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, `${req.method} is not allowed: the dashboard is read-only`);
      }
      const rawPath = (req.url ?? '/').split('?')[0]!;
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (rawPath === '/api/events') return events(res, watcher);
      const route = rawPath.startsWith('/files/') ? fileRoute : ROUTES[rawPath];
      if (!route) throw new HttpError(404, `no such page or endpoint: ${rawPath}`);
      send(res, await route({ root, url, rawPath }), head);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) log(`dashboard: ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
      if (res.headersSent) return void res.end();
      send(
        res,
        {
          status,
          type: 'application/json; charset=utf-8',
          body: JSON.stringify({ error: (e as Error).message }),
        },
        head,
      );
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? DEFAULT_PORT, opts.host ?? DEFAULT_HOST, () => ok());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    root,
    close: async () => {
      watcher.stop();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
