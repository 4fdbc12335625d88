import type { Diagnostic, Severity } from '../spec/diagnostics.js';
import type { OmlCode } from './codes.js';
import type { Anchor, DocumentPath, YamlSource } from './yaml-source.js';

export interface ReportOptions {
  hint?: string;
  /** Point at the entry's key instead of its value (unknown or forbidden keys). */
  at?: Anchor;
}

/** Collects diagnostics for one document, placing each at the node its path names. */
export class DiagnosticCollector {
  readonly diagnostics: Diagnostic[] = [];
  readonly #source: YamlSource;
  readonly #file: string | undefined;

  constructor(source: YamlSource, file: string | undefined) {
    this.#source = source;
    this.#file = file;
  }

  error(code: OmlCode, path: DocumentPath, message: string, options: ReportOptions = {}): void {
    this.report('error', code, path, message, options);
  }

  warning(code: OmlCode, path: DocumentPath, message: string, options: ReportOptions = {}): void {
    this.report('warning', code, path, message, options);
  }

  report(
    severity: Severity,
    code: OmlCode,
    path: DocumentPath,
    message: string,
    options: ReportOptions,
  ): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(this.#file === undefined ? {} : { file: this.#file }),
      ...this.#source.positionOf(path, options.at),
      path: toPointer(path),
    });
  }

  hasErrors(): boolean {
    return this.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  }
}

/** `['steps', 1, 'config']` → `/steps/1/config` (JSON pointer escaping). */
export function toPointer(path: DocumentPath): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
