/** Raw HTTP for the dashboard tests: paths are sent exactly as given (fetch would normalize '..'). */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  type: string;
  body: string;
}

export function rawGet(base: string, path: string, method = 'GET'): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

export async function getJson<T>(base: string, path: string): Promise<T> {
  const r = await rawGet(base, path);
  if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status} ${r.body}`);
  return JSON.parse(r.body) as T;
}

/** Collects server-sent events from `path` until `until` returns true for one (or `ms` pass). */
export function waitForEvent(
  base: string,
  path: string,
  until: (type: string, data: string) => boolean,
  trigger: () => Promise<void>,
  ms = 10_000,
): Promise<{ type: string; data: string }> {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path }, (res) => {
      let buf = '';
      let triggered = false;
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        if (!triggered) {
          triggered = true; // the stream is open: the first comment arrived
          // give the poller one pass to record the files as they are before they change
          setTimeout(() => void trigger().catch(fail), 300);
        }
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          if (type && until(type, data)) {
            clearTimeout(timer);
            req.destroy();
            ok({ type, data });
          }
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      fail(new Error(`no matching event on ${path} within ${ms} ms`));
    }, ms);
    req.on('error', (e) => {
      if (!req.destroyed) fail(e);
    });
    req.end();
  });
}
