import type { Diagnostic } from '../spec/diagnostics.js';
import type { OmlDocument } from '../spec/oml.js';
import { analyzeOml, type OmlAnalysis, type ValidateOmlOptions } from './analyze-oml.js';
import { loadOmlFile } from './read-oml-file.js';

/** Read and analyze an OML file; `file` defaults to the path for diagnostics. */
export async function analyzeOmlFile(path: string, options: ValidateOmlOptions): Promise<OmlAnalysis> {
  const { text, diagnostics } = await loadOmlFile(path);
  if (text === undefined) return { diagnostics, params: {}, configs: {}, connections: {} };
  return analyzeOml(text, { ...options, file: options.file ?? path });
}

/** validateOml for a file path: file-level problems (size, binary, encoding) become diagnostics too. */
export async function validateOmlFile(
  path: string,
  options: ValidateOmlOptions,
): Promise<{ document?: OmlDocument; diagnostics: Diagnostic[] }> {
  const { document, diagnostics } = await analyzeOmlFile(path, options);
  return document ? { document, diagnostics } : { diagnostics };
}
