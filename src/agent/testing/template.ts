/**
 * `{{name}}` placeholders in scripted responses. Deliberately tiny: no expressions, no escapes,
 * only named values captured from earlier requests.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** `{{tool_result.<tool>}}` is the full text of that tool's latest result in the current request. */
export const TOOL_RESULT_VARIABLE_PREFIX = 'tool_result.';

export function templateVariableNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * Replace every placeholder using `lookup`; returns the names that had no value instead of
 * guessing one, so the caller can report them.
 */
export function renderTemplate(
  text: string,
  lookup: (name: string) => string | undefined,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const rendered = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = lookup(name);
    if (value === undefined) {
      missing.push(name);
      return placeholder;
    }
    return value;
  });
  return { text: rendered, missing };
}

/** Render every string inside a JSON-like value (tool call arguments). */
export function renderTemplateDeep(
  value: unknown,
  lookup: (name: string) => string | undefined,
  missing: string[],
): unknown {
  if (typeof value === 'string') {
    const result = renderTemplate(value, lookup);
    missing.push(...result.missing);
    return result.text;
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplateDeep(item, lookup, missing));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renderTemplateDeep(item, lookup, missing)]),
    );
  }
  return value;
}
