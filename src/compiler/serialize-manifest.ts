import { stringify } from 'yaml';
import type { Manifest } from '../spec/manifest.js';

/**
 * manifest.yaml text. Key order is the order the compiler builds the object in (fixed), user
 * maps (params, metadata) are already sorted, and lines are never folded, so the text is stable.
 */
export function serializeManifest(manifest: Manifest): string {
  return stringify(manifest, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
