import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { type MoviesTableName, moviesRows, moviesSql, moviesTables } from './movies-data.js';

const tableNames = moviesTables.map((table) => table.name);

function columnIndex(table: MoviesTableName, columnName: string): number {
  const definition = moviesTables.find((candidate) => candidate.name === table)!;
  return definition.columns.findIndex((candidate) => candidate.name === columnName);
}

function valuesOf(table: MoviesTableName, columnName: string): unknown[] {
  const index = columnIndex(table, columnName);
  return moviesRows(table).map((row) => row[index]);
}

/** Rows with every value as text (or null), the common ground between engines. */
function asText(rows: readonly unknown[][]): (string | null)[][] {
  return rows.map((row) => row.map((value) => (value === null ? null : String(value))));
}

describe('movies dataset', () => {
  it('is deterministic across module loads', async () => {
    const first = tableNames.map((name) => moviesRows(name));
    vi.resetModules();
    const fresh = await import('./movies-data.js');
    expect(fresh.moviesRows).not.toBe(moviesRows);
    const second = tableNames.map((name) => fresh.moviesRows(name));
    expect(second).toEqual(first);
    expect(fresh.moviesSql('mysql')).toEqual(moviesSql('mysql'));
  });

  it('has a realistic size', () => {
    expect(moviesRows('directors')).toHaveLength(40);
    expect(moviesRows('movies')).toHaveLength(150);
    expect(moviesRows('actors')).toHaveLength(80);
    expect(moviesRows('movie_actors').length).toBeGreaterThanOrEqual(250);
    expect(moviesRows('movie_actors').length).toBeLessThanOrEqual(350);
    expect(moviesRows('reviews').length).toBeGreaterThanOrEqual(500);
    expect(moviesRows('reviews').length).toBeLessThanOrEqual(700);
  });

  it('includes Ava DuVernay and her films', () => {
    const ava = moviesRows('directors').find((row) => row[1] === 'Ava DuVernay');
    expect(ava).toEqual([1, 'Ava DuVernay', 1972, 'American', 8]);
    const byTitle = new Map(moviesRows('movies').map((row) => [row[1], row]));
    expect(byTitle.get('Selma')?.slice(2, 5)).toEqual([2014, 'Drama', 1]);
    expect(byTitle.get('13th')?.slice(2, 5)).toEqual([2016, 'Documentary', 1]);
    expect(byTitle.get('A Wrinkle in Time')?.slice(2, 5)).toEqual([2018, 'Fantasy', 1]);
  });

  it('keeps primary keys unique and foreign keys resolvable', () => {
    for (const table of moviesTables) {
      const keyIndexes = table.primaryKey.map((name) => columnIndex(table.name, name));
      const keys = moviesRows(table.name).map((row) => JSON.stringify(keyIndexes.map((index) => row[index])));
      expect(new Set(keys).size, table.name).toBe(keys.length);
      for (const foreignKey of table.foreignKeys) {
        const targets = new Set(valuesOf(foreignKey.references.table, foreignKey.references.columns[0]!));
        for (const value of valuesOf(table.name, foreignKey.columns[0]!)) {
          if (value !== null) expect(targets.has(value), `${table.name}.${foreignKey.columns[0]}`).toBe(true);
        }
      }
    }
  });

  it('respects column types and ranges', () => {
    for (const table of moviesTables) {
      for (const row of moviesRows(table.name)) {
        table.columns.forEach((definition, index) => {
          const value = row[index];
          if (value === null) {
            expect(definition.nullable, `${table.name}.${definition.name}`).toBe(true);
            return;
          }
          const { type } = definition;
          if (type.kind === 'integer') expect(Number.isInteger(value)).toBe(true);
          if (type.kind === 'varchar') expect((value as string).length).toBeLessThanOrEqual(type.length);
          if (type.kind === 'date') expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          if (type.kind === 'decimal') {
            expect(value).toMatch(new RegExp(`^\\d{1,${type.precision - type.scale}}\\.\\d{${type.scale}}$`));
          }
        });
      }
    }
    for (const rating of valuesOf('reviews', 'rating')) {
      expect(Number(rating)).toBeGreaterThanOrEqual(1);
      expect(Number(rating)).toBeLessThanOrEqual(10);
    }
  });

  it('loads into DuckDB with identical values', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const statement of moviesSql('duckdb')) await connection.run(statement);
      for (const table of moviesTables) {
        const order = table.primaryKey.join(', ');
        const casts = table.columns.map((definition) => `CAST("${definition.name}" AS VARCHAR)`).join(', ');
        const reader = await connection.runAndReadAll(
          `SELECT ${casts} FROM "${table.name}" ORDER BY ${order}`,
        );
        expect(reader.getRowsJS(), table.name).toEqual(asText(moviesRows(table.name)));
      }
      // Foreign keys are declared, so DuckDB rejects an orphan.
      await expect(
        connection.run('INSERT INTO reviews (id, movie_id, rating) VALUES (100000, 999999, 5.0)'),
      ).rejects.toThrow(/foreign key/i);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('loads into SQLite with identical values', () => {
    const database = new Database(':memory:');
    try {
      database.pragma('foreign_keys = ON');
      for (const statement of moviesSql('sqlite', { dropExisting: true })) database.exec(statement);
      for (const table of moviesTables) {
        const order = table.primaryKey.join(', ');
        const rows = database
          .prepare(`SELECT * FROM "${table.name}" ORDER BY ${order}`)
          .raw()
          .all() as unknown[][];
        // SQLite stores DECIMAL with numeric affinity, so compare numbers as numbers.
        const normalise = (data: readonly unknown[][]) =>
          data.map((row) =>
            row.map((value) =>
              typeof value === 'string' && /^\d+\.\d+$/.test(value) ? Number(value) : value,
            ),
          );
        expect(normalise(rows), table.name).toEqual(normalise(moviesRows(table.name)));
      }
      expect(() => database.exec('INSERT INTO movie_actors (movie_id, actor_id) VALUES (999999, 1)')).toThrow(
        /FOREIGN KEY/,
      );
    } finally {
      database.close();
    }
  });

  it('escapes quotes and backslashes per dialect', () => {
    const mysql = moviesSql('mysql').join('\n');
    const postgres = moviesSql('postgres').join('\n');
    expect(mysql).toContain("'Declan O''Malley'");
    expect(mysql).toContain('\\\\o/');
    expect(postgres).toContain("'Declan O''Malley'");
    expect(postgres).not.toContain('\\\\o/');
    expect(mysql).toContain('CHARSET=utf8mb4');
  });
});
