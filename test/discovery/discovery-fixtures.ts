import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildMoviesDatabase } from '../../src/demo/create-demo.js';
import { moviesSql } from '../../src/demo/movies-data.js';
import type { DatabaseServerFacts } from '../setup/test-servers.js';

/** A throwaway project folder holding `osiris_connections.yaml` with the given text. */
export async function makeDiscoveryProject(connectionsYaml: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'osiris-discovery-'));
  await writeFile(path.join(folder, 'osiris_connections.yaml'), connectionsYaml);
  return folder;
}

/** The movies dataset as a SQLite file; `extraSql` runs after it (views, broken objects…). */
export async function buildMoviesSqlite(file: string, extraSql: readonly string[] = []): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const database = new Database(file);
  try {
    for (const statement of [...moviesSql('sqlite'), ...extraSql]) database.exec(statement);
  } finally {
    database.close();
  }
}

export async function buildMoviesDuckdb(file: string): Promise<void> {
  await buildMoviesDatabase(file);
}

/**
 * A connection entry for a test server. The password is read from `${passwordVariable}`, as a
 * user would write it, so tests can prove it never shows up in any output.
 */
export function serverConnectionYaml(
  alias: string,
  facts: DatabaseServerFacts,
  options: { database?: string; passwordVariable: string },
): string {
  return [
    `    ${alias}:`,
    `      host: ${facts.host}`,
    `      port: ${facts.port}`,
    `      user: ${facts.user}`,
    `      password: \${${options.passwordVariable}}`,
    `      database: ${options.database ?? facts.database}`,
  ].join('\n');
}

export function connectionsFile(families: Record<string, string[]>): string {
  const lines = ['version: 1', 'connections:'];
  for (const [family, entries] of Object.entries(families)) lines.push(`  ${family}:`, ...entries);
  return `${lines.join('\n')}\n`;
}
