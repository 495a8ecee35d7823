/**
 * tfjs-core's Node build (CommonJS) ships no gradient functions; its ES-module build
 * registers them in `register_all_gradients.js` but uses extensionless imports that Node
 * cannot resolve. Bundling that one file with esbuild and running it registers every
 * gradient in tfjs's global registry (shared by both builds), as `@tensorflow/tfjs` does.
 */
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';

export function registerTfjsGradients(): void {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const built = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  const module = { exports: {} };
  new Function('require', 'module', 'exports', built.outputFiles[0]!.text)(require, module, module.exports);
}
