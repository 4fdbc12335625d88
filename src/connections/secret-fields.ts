import type { ComponentSpec } from '../spec/component.js';

/** The rule lives beside the one redactor, so every layer masks the same names. */
export { isSecretField } from '../util/secret-names.js';

/**
 * Field names behind the specs' `secrets` JSON pointers (`/password` → `password`,
 * `/auth/token` → `token`) plus their `redaction.extras`, sorted and unique.
 */
export function secretNamesFromSpecs(specs: readonly ComponentSpec[]): string[] {
  const names = new Set<string>();
  for (const spec of specs) {
    for (const pointer of spec.secrets) {
      const last = pointer.split('/').pop();
      if (last) names.add(last.replace(/~1/g, '/').replace(/~0/g, '~'));
    }
    for (const extra of spec.redaction?.extras ?? []) names.add(extra);
  }
  return [...names].sort();
}
