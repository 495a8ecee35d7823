/**
 * The package version. A constant rather than a read of package.json, so the core needs no
 * file access (it also runs in a browser); test/smoke.test.ts checks it equals package.json's.
 */
export const version = '0.1.0';
