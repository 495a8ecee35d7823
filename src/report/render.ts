/**
 * Vega-Lite → SVG → PNG in Node, with no browser: vega-lite compiles the spec to Vega,
 * a headless vega View renders SVG text, and resvg rasterizes it. Specs use
 * `autosize: fit`, so the SVG (and the PNG, times `scale`) has exactly the stated size.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../util/atomic-write.js';

export type { TopLevelSpec };

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterizes SVG text; `scale` 2 gives a sharp image for reports. */
export function svgToPng(svg: string, scale = 1): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  });
  return r.render().asPng();
}

export interface WrittenFigure {
  svg: string;
  png: string;
}

/** Writes `<dir>/<name>.svg` and `<dir>/<name>.png` (atomic writes). */
export async function writeFigure(
  dir: string,
  name: string,
  spec: TopLevelSpec,
  pngScale = 2,
): Promise<WrittenFigure> {
  await mkdir(dir, { recursive: true });
  const svg = await renderSvg(spec);
  const out = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  await writeFileAtomic(out.svg, new TextEncoder().encode(svg));
  await writeFileAtomic(out.png, svgToPng(svg, pngScale));
  return out;
}
