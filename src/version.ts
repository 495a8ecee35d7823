/** The package version, read once from package.json so there is one source of truth. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// src/version.ts and dist/version.js both sit one level below the package root
export const version: string = (require('../package.json') as { version: string }).version;
