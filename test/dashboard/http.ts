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

/** Opens the event stream at `path`, runs `trigger` once it is 'ready', and waits for an event `until` accepts. */
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
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          // the server watches the files from here on: change them now
          if (type === 'ready') void trigger().catch(fail);
          else if (type && until(type, data)) {
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
