/**
 * `${VAR}` and `${VAR:-default}` templates inside connection values. As in the shell, the
 * default also applies when the variable is set to the empty string.
 */
const TEMPLATE_PATTERN = /\$\{([^}]*)\}/g;
const TEMPLATE_BODY_PATTERN = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

export interface EnvTemplate {
  variable: string;
  defaultValue?: string;
}

/** Templates found in a string, in order. Throws nothing: malformed ones are reported by `findMalformedTemplate`. */
export function findTemplates(text: string): EnvTemplate[] {
  const templates: EnvTemplate[] = [];
  for (const match of text.matchAll(TEMPLATE_PATTERN)) {
    const body = TEMPLATE_BODY_PATTERN.exec(match[1] ?? '');
    if (!body) continue;
    const variable = body[1] as string;
    templates.push(body[2] === undefined ? { variable } : { variable, defaultValue: body[2] });
  }
  return templates;
}

/** The first `${...}` that is not a valid template (unclosed, or a bad variable name), if any. */
export function findMalformedTemplate(text: string): string | undefined {
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${');
    if (start === -1) return undefined;
    const end = rest.indexOf('}', start);
    if (end === -1) return rest.slice(start);
    const candidate = rest.slice(start, end + 1);
    if (!TEMPLATE_BODY_PATTERN.test(candidate.slice(2, -1))) return candidate;
    rest = rest.slice(end + 1);
  }
}

export interface ExpandedTemplate {
  value: string;
  /** Variables that were unset and had no default; their templates are left in `value`. */
  missing: string[];
}

export function expandTemplates(text: string, env: Record<string, string | undefined>): ExpandedTemplate {
  const missing: string[] = [];
  const value = text.replace(TEMPLATE_PATTERN, (whole, body: string) => {
    const parsed = TEMPLATE_BODY_PATTERN.exec(body);
    if (!parsed) return whole;
    const variable = parsed[1] as string;
    const defaultValue = parsed[2];
    const current = env[variable];
    if (defaultValue !== undefined) return current === undefined || current === '' ? defaultValue : current;
    if (current === undefined) {
      missing.push(variable);
      return whole;
    }
    return current;
  });
  return { value, missing };
}
