/** The shared JART reference cases: the one helper in scripts/lib (used by the studies too). */
export * from '../../scripts/lib/refdata.js';
