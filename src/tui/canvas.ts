/**
 * A braille canvas for terminal plots: each character cell holds 2×4 dots (Unicode U+2800 block),
 * so a W×H cell area plots at 2W×4H resolution. Each cell keeps one colour (the last drawn wins) and
 * may hold a text character instead of dots. Pure: rendering returns coloured segments per row.
 */
export interface Segment {
  text: string;
  color?: string;
  dim?: boolean;
}
export type Line = Segment[];

const DOT = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

export class BrailleCanvas {
  readonly width: number;
  readonly height: number;
  private readonly mask: Uint8Array;
  private readonly color: (string | undefined)[];
  private readonly text: (string | undefined)[];

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.width = cols * 2;
    this.height = rows * 4;
    this.mask = new Uint8Array(cols * rows);
    this.color = new Array(cols * rows);
    this.text = new Array(cols * rows);
  }

  /** Sets the dot at pixel (x, y), y = 0 at the top. Out-of-range pixels are ignored. */
  set(x: number, y: number, color?: string): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (!(xi >= 0 && xi < this.width && yi >= 0 && yi < this.height)) return;
    const c = (yi >> 2) * this.cols + (xi >> 1);
    this.mask[c] |= DOT[xi & 1][yi & 3];
    if (color !== undefined) this.color[c] = color;
  }

  line(x0: number, y0: number, x1: number, y1: number, color?: string): void {
    if (![x0, y0, x1, y1].every(Number.isFinite)) return;
    const n = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)));
    if (n > 4 * (this.width + this.height)) return; // a wild segment far outside: skip it
    for (let i = 0; i <= n; i++) {
      const t = n === 0 ? 0 : i / n;
      this.set(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, color);
    }
  }

  /** Writes text into character cells starting at cell (col, row). */
  label(col: number, row: number, s: string, color?: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = col + i;
      if (c < 0 || c >= this.cols || row < 0 || row >= this.rows) continue;
      this.text[row * this.cols + c] = s[i];
      this.color[row * this.cols + c] = color;
    }
  }

  /** Number of cells with at least one dot (for tests and sanity checks). */
  inkedCells(): number {
    let n = 0;
    for (let i = 0; i < this.mask.length; i++) if (this.mask[i] || this.text[i]) n++;
    return n;
  }

  lines(): Line[] {
    const out: Line[] = [];
    for (let r = 0; r < this.rows; r++) {
      const segs: Segment[] = [];
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c;
        const ch = this.text[i] ?? String.fromCharCode(0x2800 + this.mask[i]);
        const col = this.mask[i] || this.text[i] ? this.color[i] : undefined;
        const last = segs[segs.length - 1];
        if (last && last.color === col) last.text += ch;
        else segs.push(col === undefined ? { text: ch } : { text: ch, color: col });
      }
      out.push(segs);
    }
    return out;
  }
}

const lineText = (l: Line): string => l.map((s) => s.text).join('');
export const linesText = (ls: Line[]): string => ls.map(lineText).join('\n');
