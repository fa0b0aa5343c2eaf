/** Synthetic measurements in instrument formats (for fit/population recovery tests and the example campaign). */
export { measureCurrent, type SmuModel } from './instrument.js';
export { writeK4200Csv, writeB1500Csv, writeGenericCsv, type SynthCycle, type WriterInfo } from './writers.js';
export { toyLoop, type ToyDevice } from './toy.js';
