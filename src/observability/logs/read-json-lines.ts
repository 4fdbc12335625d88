import { readFile } from 'node:fs/promises';

export interface JsonLines<T> {
  records: T[];
  /** 1-based numbers of lines that were not JSON objects (a crash can cut the last line short). */
  badLines: number[];
}

/** Read a JSON Lines file; a missing file is an empty list (a run that died before writing anything). */
export async function readJsonLines<T>(path: string): Promise<JsonLines<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], badLines: [] };
    throw error;
  }
  const records: T[] = [];
  const badLines: number[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]?.trim();
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) records.push(value as T);
      else badLines.push(index + 1);
    } catch {
      badLines.push(index + 1);
    }
  }
  return { records, badLines };
}
