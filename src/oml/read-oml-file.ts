import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic } from '../spec/diagnostics.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { decodeOmlBytes, fileTooLarge, MAX_OML_BYTES } from './source-checks.js';

/**
 * Read an OML file as text, checking size (before reading), binary content and UTF-8 on the
 * way. A missing file throws E_FILE_NOT_FOUND; a file that is not OML text comes back as a
 * diagnostic so callers show it like any other validation problem.
 */
export async function loadOmlFile(file: string): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new OsirisError(ErrorCodes.FILE_NOT_FOUND, `${file} is a folder, not an OML file`, {
        hint: 'pass the pipeline YAML file, e.g. pipelines/movies.yaml',
      });
    }
    size = info.size;
  } catch (error) {
    if (error instanceof OsirisError) throw error;
    throw new OsirisError(ErrorCodes.FILE_NOT_FOUND, `OML file not found: ${file}`, {
      hint: 'check the path; pipelines usually live in pipelines/*.yaml',
      cause: error,
      details: { file },
    });
  }
  if (size > MAX_OML_BYTES) return { diagnostics: [fileTooLarge(size, file)] };
  // decodeOmlBytes checks the size again, in case the file grew since stat().
  const bytes = await readFile(file);
  const decoded = decodeOmlBytes(bytes, file);
  return decoded.diagnostic ? { diagnostics: [decoded.diagnostic] } : { text: decoded.text, diagnostics: [] };
}

/** readOmlFile: the text of an OML file; anything that is not OML text throws E_INVALID_OML. */
export async function readOmlFile(file: string): Promise<string> {
  const { text, diagnostics } = await loadOmlFile(file);
  if (text !== undefined) return text;
  const first = diagnostics[0];
  throw new OsirisError(ErrorCodes.INVALID_OML, first?.message ?? `${file} is not an OML file`, {
    ...(first?.hint === undefined ? {} : { hint: first.hint }),
    details: { file, diagnostics },
  });
}
