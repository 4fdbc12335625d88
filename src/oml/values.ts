/** Small value helpers shared by the validators. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a number", "a list", ... for messages about wrong types. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

/** Pipeline names and step ids: lower-case kebab-case or snake_case. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** A best-effort kebab/snake spelling of `text`, offered in hints. */
export function suggestIdentifier(text: string): string {
  const cleaned = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/[-_]{2,}/g, '_')
    .replace(/[-_]+$/, '');
  return cleaned.length > 0 ? cleaned : 'my_pipeline';
}

export function quoteList(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(', ');
}
