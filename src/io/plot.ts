/** Writes a chart to disk: `.svg` as text, `.png` rendered through resvg. Atomic. */
import { extname } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { svgToPng } from '../plot/png.js';
import { JartcalError } from '../util/errors.js';

export function writePlot(path: string, svg: string): void {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') writeFileAtomic(path, svg);
  else if (ext === '.png') writeFileAtomic(path, svgToPng(svg));
  else throw new JartcalError(`plot file "${path}": expected a .svg or .png extension`, { code: 'bad_plot_path' });
}
