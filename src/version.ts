/** Kept in sync with package.json by a unit test; compiled into the manifest's compiler fingerprint. */
export const VERSION = '0.1.0';
