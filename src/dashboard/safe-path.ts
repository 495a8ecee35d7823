/**
 * Resolves a path a browser asked for inside the dashboard's folder, or refuses it. Refused:
 * absolute paths, '..' segments, NUL bytes and backslashes (before touching the disk), and
 * anything whose real path (symlinks followed) is outside the folder. The server is
 * read-only and this is its only way from a request to a file.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';

/** An error the server answers with `status` and this message. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The real path of the dashboard folder (compare against this, never against the raw argument). */
export async function realFolder(folder: string): Promise<string> {
  try {
    return await realpath(folder);
  } catch (e) {
    throw new Error(`dashboard folder ${folder} cannot be opened (${(e as Error).message})`, { cause: e });
  }
}

/** Checks `rel` lexically; returns its segments. */
export function checkRelative(rel: string): string[] {
  if (rel.includes('\0')) throw new HttpError(400, 'path contains a NUL byte');
  if (rel.includes('\\')) throw new HttpError(400, `path '${rel}' contains a backslash`);
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel))
    throw new HttpError(403, `path '${rel}' is absolute; paths are relative to the dashboard folder`);
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new HttpError(403, `path '${rel}' leaves the dashboard folder ('..')`);
  return parts;
}

/** The real path of `rel` inside `root` (a realFolder result); 404 when it does not exist. */
export async function resolveInside(root: string, rel: string): Promise<string> {
  const parts = checkRelative(rel);
  let real: string;
  try {
    real = await realpath(join(root, ...parts));
  } catch {
    throw new HttpError(404, `'${rel}' not found`);
  }
  if (real !== root && !real.startsWith(root + sep))
    throw new HttpError(403, `'${rel}' resolves outside the dashboard folder (a symbolic link?)`);
  return real;
}
