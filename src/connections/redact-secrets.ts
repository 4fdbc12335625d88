/** Shorter values would redact ordinary words and digits all over the text. */
const MINIMUM_SECRET_LENGTH = 4;

/** Replace every occurrence of each secret value (length ≥ 4) with `***`. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secrets)]
    .filter((secret) => typeof secret === 'string' && secret.length >= MINIMUM_SECRET_LENGTH)
    .sort((left, right) => right.length - left.length);
  let result = text;
  for (const value of values) result = result.split(value).join('***');
  return result;
}
