/** Synthetic fits of a known population: the one helper in scripts/lib (used by the studies too). */
export * from '../../scripts/lib/synth-population.js';
