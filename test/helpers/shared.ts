/** The shared reference material's location: the one helper in scripts/lib (used by the studies too). */
export { REPO_ROOT, SHARED, sharedPath } from '../../scripts/lib/shared.js';
