import { findTemplates } from './env-template.js';
import { isSecretField } from './secret-fields.js';

export const SECRET_MASK = '***';

const URL_CREDENTIALS_PATTERN = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s/]+)@/gi;

/** `postgres://user:pw@host/db` → `postgres://user:***@host/db`: DSNs hide in fields of any name. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS_PATTERN, `$1${SECRET_MASK}@`);
}

/** The password parts of URLs in `text`, for redaction. */
export function urlPasswords(text: string): string[] {
  return [...text.matchAll(URL_CREDENTIALS_PATTERN)].map((match) => match[2] as string);
}

/**
 * Whether a field's value is secret: its name says so, or its raw value reads a variable
 * whose name does (`auth: ${API_TOKEN}`).
 */
export function isSecretValue(name: string, rawValue: unknown, extraSecretNames: readonly string[]): boolean {
  if (isSecretField(name, extraSecretNames)) return true;
  return (
    typeof rawValue === 'string' &&
    findTemplates(rawValue).some((template) => isSecretField(template.variable, extraSecretNames))
  );
}

/**
 * Copy raw connection fields with secret values replaced by `***` (at any depth) and URL
 * credentials masked; `showString` decides how the remaining strings appear (as written, or resolved).
 */
export function maskSecretFields(
  fields: Record<string, unknown>,
  extraSecretNames: readonly string[],
  showString: (text: string) => string = (text) => text,
): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    masked[name] =
      isSecretValue(name, value, extraSecretNames) && value !== null && value !== undefined
        ? SECRET_MASK
        : maskValue(value, extraSecretNames, showString);
  }
  return masked;
}

function maskValue(
  value: unknown,
  extraSecretNames: readonly string[],
  showString: (text: string) => string,
): unknown {
  if (typeof value === 'string') return maskUrlCredentials(showString(value));
  if (Array.isArray(value)) return value.map((item) => maskValue(item, extraSecretNames, showString));
  if (typeof value === 'object' && value !== null) {
    return maskSecretFields(value as Record<string, unknown>, extraSecretNames, showString);
  }
  return value;
}
