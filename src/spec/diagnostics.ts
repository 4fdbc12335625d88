/**
 * Structured lint results for OML and connection files, modelled on Redpanda Connect's
 * `{ line, column, level, type, what }`: every problem has a stable code, a position and a hint.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  /** File path as the user gave it (never made absolute, so outputs stay portable). */
  file?: string;
  /** 1-based line and column; absent only when the problem has no place (e.g. unreadable file). */
  line?: number;
  column?: number;
  /** JSON-pointer-like path into the document, e.g. `/steps/1/config/query`. */
  path?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file ?? '<input>', d.line, d.column].filter((x) => x !== undefined).join(':');
  const head = `${where}: ${d.severity} ${d.code}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
