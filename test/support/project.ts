import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway project folder with the given files (path → content). */
export async function makeProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-project-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Every regular file below `dir`, recursively (absolute paths). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return out;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Files below `dir` whose bytes contain `needle` (binary files included: SQLite, DuckDB, Parquet). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const bytes = Buffer.from(needle);
  for (const file of await listFiles(dir)) {
    if ((await readFile(file)).includes(bytes)) hits.push(file);
  }
  return hits;
}
