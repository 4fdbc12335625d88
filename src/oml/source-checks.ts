import type { Diagnostic } from '../spec/diagnostics.js';
import { OmlCodes } from './codes.js';
import { TextPositions } from './text-positions.js';

/** OML files are small; anything bigger is a mistake (a data file passed by accident). */
export const MAX_OML_BYTES = 10 * 1024 * 1024;

const MEGABYTE = 1024 * 1024;

export function fileTooLarge(bytes: number, file: string | undefined): Diagnostic {
  return {
    code: OmlCodes.FILE_TOO_LARGE,
    severity: 'error',
    message: `the file is ${(bytes / MEGABYTE).toFixed(1)} MB; OML files may be at most ${MAX_OML_BYTES / MEGABYTE} MB`,
    hint: 'pass the pipeline YAML file, not a data file',
    ...(file === undefined ? {} : { file }),
    line: 1,
    column: 1,
  };
}

/**
 * Checks raw bytes before decoding: size, NUL bytes (binary files) and UTF-8 validity.
 * Returns the decoded text, or the one diagnostic that stops further checks.
 */
export function decodeOmlBytes(
  bytes: Uint8Array,
  file?: string,
): { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic } {
  if (bytes.byteLength > MAX_OML_BYTES) return { diagnostic: fileTooLarge(bytes.byteLength, file) };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const binary = binaryContent(text, file);
  if (binary) return { diagnostic: binary };
  const reencoded = Buffer.from(text, 'utf8');
  if (!reencoded.equals(bytes)) {
    const byteOffset = firstDifference(bytes, reencoded);
    // Decoding the valid prefix gives the character offset of the bad byte.
    const prefix = Buffer.from(bytes.buffer, bytes.byteOffset, byteOffset).toString('utf8');
    const position = new TextPositions(prefix).at(prefix.length);
    return {
      diagnostic: {
        code: OmlCodes.INVALID_ENCODING,
        severity: 'error',
        message: `the file is not valid UTF-8 (invalid byte 0x${bytes[byteOffset]?.toString(16).padStart(2, '0')} at byte ${byteOffset})`,
        hint: 'save the pipeline as UTF-8 text',
        ...(file === undefined ? {} : { file }),
        ...position,
      },
    };
  }
  return { text };
}

/** Checks already-decoded text: size and NUL characters. */
export function checkOmlText(text: string, file?: string): Diagnostic | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_OML_BYTES) return fileTooLarge(bytes, file);
  return binaryContent(text, file);
}

function binaryContent(text: string, file: string | undefined): Diagnostic | undefined {
  const offset = text.indexOf('\u0000');
  if (offset === -1) return undefined;
  return {
    code: OmlCodes.BINARY_CONTENT,
    severity: 'error',
    message: 'the file holds binary content (a NUL byte), not YAML text',
    hint: 'pass the pipeline YAML file; binary files (parquet, images, archives) are not OML',
    ...(file === undefined ? {} : { file }),
    ...new TextPositions(text).at(offset),
  };
}

function firstDifference(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.byteLength, right.byteLength);
  for (let index = 0; index < length; index++) if (left[index] !== right[index]) return index;
  return length;
}
