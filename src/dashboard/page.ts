/**
 * The page's HTML: the served one loads /app.js; an exported one carries the bundle and the
 * data inline, so the file opens offline with nothing beside it. Run data enters the page
 * only as JSON (its '<' escaped, so no file content can close the script element) and is
 * rendered as text, never as markup or code.
 */
import type { ExportedData } from './api-types.js';

export const PAGE_TITLE = 'sr2l dashboard';

const shell = (title: string, body: string): string =>
  `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n<title>${title}</title>\n</head>\n<body>\n<div id="app"></div>\n${body}\n</body>\n</html>\n`;

export function servedPage(): string {
  return shell(PAGE_TITLE, '<script type="module" src="/app.js"></script>');
}

/** JSON that is safe inside a <script> element. */
export const scriptSafeJson = (data: unknown): string =>
  JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function exportedPage(bundle: string, data: ExportedData, title: string): string {
  const escTitle = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  // a '</script' inside the bundle would end the element early: split it (harmless in JS strings)
  const safeBundle = bundle.replace(/<\/script/gi, '<\\/script');
  return shell(
    `${escTitle} · ${PAGE_TITLE}`,
    `<script type="application/json" id="sr2l-data">${scriptSafeJson(data)}</script>\n<script type="module">${safeBundle}</script>`,
  );
}
