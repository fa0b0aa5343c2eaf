/** The variability profile (`jartcal.profile/1`): written by `jartcal profile --out` or attached to a population file. */
import { writeJsonAtomic } from './atomic.js';
import { readJsonFile, readJsonFormat } from './json.js';
import { profileSchema, type ProfileFile } from '../schema/profile.js';

export function writeProfile(path: string, profile: ProfileFile): void {
  writeJsonAtomic(path, profile);
}

export function readProfile(path: string): ProfileFile {
  return readJsonFormat(path, profileSchema, 'bad_profile');
}

/**
 * Writes the population file `populationPath` to `out` with `profile` under "profile": the population's JSON
 * as it is (not re-serialised through its schema), so the rest of it stays what it was.
 */
export function attachProfile(populationPath: string, out: string, profile: ProfileFile): void {
  writeJsonAtomic(out, { ...(readJsonFile(populationPath) as object), profile });
}
