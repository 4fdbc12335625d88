import type { ConnectionsConfig } from '../../connections/types.js';
import { validateOml } from '../../oml/analyze-oml.js';
import type { Registry } from '../../registry/registry.js';
import type { Diagnostic } from '../../spec/diagnostics.js';
import type { OmlDocument } from '../../spec/oml.js';

export interface OmlCheck {
  text: string;
  document?: OmlDocument;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** The file name diagnostics carry for OML the model wrote. */
export const PROPOSAL_FILE_LABEL = 'proposal.yaml';

/**
 * Validate OML the model wrote, against the registry and the project's connections, so a
 * reference to a connection that does not exist is caught before the user sees the proposal.
 */
export function checkOml(
  written: string,
  options: {
    registry: Registry;
    connections: ConnectionsConfig;
    env: Record<string, string | undefined>;
    /** The project folder: file paths must stay inside it and spare the project's own files. */
    projectDir?: string;
  },
): OmlCheck {
  const text = stripCodeFence(written);
  const { document, diagnostics } = validateOml(text, {
    file: PROPOSAL_FILE_LABEL,
    registry: options.registry,
    connections: options.connections,
    env: options.env,
    // The same path checks as `osiris validate`; without a folder, relative paths are still judged.
    projectDir: options.projectDir ?? options.connections.projectDir,
  });
  return {
    text,
    ...(document ? { document } : {}),
    errors: diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
    warnings: diagnostics.filter((diagnostic) => diagnostic.severity === 'warning'),
  };
}

/** Models often wrap YAML in a Markdown fence; the fence is not part of the pipeline. */
export function stripCodeFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  return `${(fenced?.[1] ?? trimmed).trimEnd()}\n`;
}

/** Diagnostics as the model gets them: position, code, message, hint. */
export function diagnosticsForModel(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const where = diagnostic.line === undefined ? '' : `line ${diagnostic.line}:${diagnostic.column ?? 1} `;
    return `${where}${diagnostic.code}: ${diagnostic.message}${diagnostic.hint ? ` (hint: ${diagnostic.hint})` : ''}`;
  });
}
