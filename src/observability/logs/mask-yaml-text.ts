import { isCollection, isScalar, parseDocument, visit } from 'yaml';
import { MASK } from '../redaction.js';

/**
 * The YAML text with every value under a secret-named key replaced by `***`, keeping the rest of
 * the layout as written. Text that does not parse as YAML is returned unchanged (the caller still
 * runs value redaction over it).
 */
export function maskYamlText(text: string, isSecretName: (name: string) => boolean): string {
  // Parsing a large manifest costs far more than scanning its keys; most hold no secret-named key.
  // Any word followed by a colon counts as a possible key (block or flow style, quoted or not).
  const keys = text.matchAll(/([A-Za-z0-9_.-]+)["']?[ \t]*:/g);
  if (![...keys].some((match) => isSecretName(match[1] ?? ''))) return text;
  const document = parseDocument(text);
  if (document.errors.length > 0) return text;
  let changed = false;
  visit(document, {
    Pair(_key, pair) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (name === undefined || !isSecretName(name)) return undefined;
      if (isScalar(pair.value)) {
        const value = pair.value.value;
        if (value === null || value === '' || (typeof value === 'string' && value.startsWith('@')))
          return undefined;
        pair.value.value = MASK;
        changed = true;
      } else if (isCollection(pair.value)) {
        pair.value = document.createNode(MASK);
        changed = true;
      }
      return visit.SKIP;
    },
  });
  return changed ? document.toString() : text;
}
