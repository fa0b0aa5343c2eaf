/**
 * One analog tile: rows (outputs) × cols (inputs) devices behind a DeviceArray, device k = r·cols + c,
 * with a Float32Array mirror of the device weights that the MVM kernels read.
 */
import type { DeviceArray } from '../device/types.js';

export class Tile {
  readonly w: Float32Array;
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly dev: DeviceArray,
  ) {
    this.w = new Float32Array(rows * cols);
    this.refresh();
  }
  /** Re-reads every device into the weight mirror. */
  refresh(): void {
    for (let k = 0; k < this.w.length; k++) this.w[k] = this.dev.weight(k);
  }
  /** Sets every device to the given weights (rows × cols, row-major) without pulses. */
  setWeights(values: ArrayLike<number>): void {
    for (let k = 0; k < this.w.length; k++) {
      this.dev.setWeight(k, values[k]);
      this.w[k] = this.dev.weight(k);
    }
  }
}
