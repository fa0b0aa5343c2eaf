/** SVG → PNG through resvg (a Rust renderer shipped as a prebuilt binary inside its npm package). */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, opts: { scale?: number } = {}): Uint8Array {
  const r = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: opts.scale && opts.scale !== 1 ? { mode: 'zoom', value: opts.scale } : { mode: 'original' },
    background: '#ffffff',
  });
  return r.render().asPng();
}
