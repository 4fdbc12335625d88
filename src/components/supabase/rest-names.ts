const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column name as PostgREST's select/order syntax needs it (double-quoted unless plain). */
export function restIdentifier(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replaceAll('"', '\\"')}"`;
}
