/**
 * Whether a catalog type holds text worth searching for a literal such as a name: character
 * types of every family (varchar(120), character varying, text, TEXT, VARCHAR, citext, enum…).
 * JSON and binary types are left out: matching inside them is rarely what the user means.
 */
export function isTextType(type: string): boolean {
  const normalized = type.toLowerCase();
  if (/json|binary|blob|bytea/.test(normalized)) return false;
  return /char|text|string|clob|enum|citext|^name$/.test(normalized);
}
