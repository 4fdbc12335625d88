import { closestNames } from '../util/suggest.js';

/** The one candidate nearest to `input`, if it is close enough to be a plausible typo. */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  return closestNames(input, candidates, 1)[0];
}
