#!/usr/bin/env node
/**
 * Bundles the dashboard's page (src/dashboard/app/main.ts, with esbuild) into
 * dist/dashboard/app.js after tsc has compiled dist/, so an installed sr2l serves the page
 * without esbuild (a development dependency). Prints the bundle's size.
 */
/* global console, Buffer */
import { writeFileSync } from 'node:fs';
import { buildAppBundle, PREBUILT } from '../dist/dashboard/bundle.js';

const js = await buildAppBundle();
writeFileSync(PREBUILT, js);
console.log(`dashboard bundle: ${PREBUILT} (${(Buffer.byteLength(js) / 1024).toFixed(1)} KiB, minified)`);
