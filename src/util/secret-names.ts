const SECRET_NAMES = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'key',
  'token',
  'secret',
  'dsn',
  'connection_string',
  'credential',
  'credentials',
  'service_role_key',
  'api_key',
]);
const SECRET_SUFFIXES = ['_password', '_token', '_secret', '_key', '_dsn'];
/** Config keys that end like secrets but name columns, so masking them would hide useful metadata. */
const NEVER_SECRET = new Set([
  'primary_key',
  'foreign_key',
  'partition_key',
  'sort_key',
  'unique_key',
  'merge_key',
]);

/** `apiKey`, `api-key` and `API_KEY` all become `api_key`. */
function normalizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/**
 * Whether a field holds a secret: a common secret name, one ending in `_password`/`_token`/
 * `_secret`/`_key`/`_dsn`, or one of `extraSecretNames` (from component specs). Never `primary_key`.
 */
export function isSecretField(name: string, extraSecretNames: readonly string[] = []): boolean {
  const normalized = normalizeName(name);
  if (NEVER_SECRET.has(normalized)) return false;
  if (SECRET_NAMES.has(normalized)) return true;
  if (SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix))) return true;
  return extraSecretNames.some((extra) => normalizeName(extra) === normalized);
}
