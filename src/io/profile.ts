/** The variability profile (`jartcal.profile/1`): written by `jartcal profile --out` or attached to a population file. */
import { writeJsonAtomic } from './atomic.js';
import type { ProfileFile } from '../schema/profile.js';

export function writeProfile(path: string, profile: ProfileFile): void {
  writeJsonAtomic(path, profile);
}

/**
 * Writes the population `population` (its JSON as read, not re-serialised through its schema, so the rest of it
 * stays what it was) to `out` with `profile` under "profile".
 */
export function attachProfile(out: string, population: unknown, profile: ProfileFile): void {
  writeJsonAtomic(out, { ...(population as object), profile });
}
