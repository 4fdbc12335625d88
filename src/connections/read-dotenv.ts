import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/** Variables of `<folder>/.env`, without touching process.env; an absent file gives none. */
export function readDotenv(folder: string): Record<string, string> {
  const file = path.join(folder, '.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new OsirisError(ErrorCodes.CONNECTIONS_INVALID, `Cannot read ${file}`, {
      hint: 'the project .env must be a readable text file of NAME=value lines',
      details: { file },
      cause: error,
    });
  }
  return parse(text);
}
