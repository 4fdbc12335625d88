import { expect } from 'vitest';
import type { DatabaseProfile, SearchResult, TableProfile } from '../../src/discovery/index.js';

export const MOVIES_TABLES = ['actors', 'directors', 'movie_actors', 'movies', 'reviews'];

export function tableOf(profile: DatabaseProfile, name: string): TableProfile {
  const table = profile.tables.find((candidate) => candidate.name === name);
  if (!table) throw new Error(`no table ${name} in ${profile.tables.map((t) => t.name).join(', ')}`);
  return table;
}

/** The movies schema as every family must report it: columns, nullability, keys and references. */
export function expectMoviesCatalog(profile: DatabaseProfile): void {
  expect(profile.tables.map((table) => table.name).filter((name) => MOVIES_TABLES.includes(name))).toEqual(
    MOVIES_TABLES,
  );
  const directors = tableOf(profile, 'directors');
  expect(directors.kind).toBe('table');
  expect(directors.columns.map((column) => [column.name, column.nullable])).toEqual([
    ['id', false],
    ['name', false],
    ['birth_year', true],
    ['nationality', true],
    ['awards', false],
  ]);
  expect(directors.columns.find((column) => column.name === 'name')?.type).toMatch(/char/i);
  expect(directors.columns.find((column) => column.name === 'awards')?.default).toBe('0');
  expect(directors.columns.find((column) => column.name === 'nationality')?.default).toBeNull();
  expect(directors.primary_key).toEqual(['id']);

  const movies = tableOf(profile, 'movies');
  expect(movies.columns.find((column) => column.name === 'budget_musd')?.type).toMatch(/decimal|numeric/i);
  expect(movies.foreign_keys).toEqual([
    {
      columns: ['director_id'],
      references: expect.objectContaining({ table: 'directors', columns: ['id'] }),
    },
  ]);
  const cast = tableOf(profile, 'movie_actors');
  expect(cast.primary_key).toEqual(['movie_id', 'actor_id']);
  expect(
    cast.foreign_keys
      .map((key) => `${key.columns.join(',')}->${key.references.table}.${key.references.columns.join(',')}`)
      .sort(),
  ).toEqual(['actor_id->actors.id', 'movie_id->movies.id']);
  expect(tableOf(profile, 'reviews').foreign_keys.map((key) => key.references.table)).toEqual(['movies']);
  // Every primary key shows up as a unique index too.
  expect(directors.indexes.some((index) => index.unique && index.columns.join() === 'id')).toBe(true);
}

/** Ava DuVernay's row in directors, with her facts, and Selma among her films through movies.director_id. */
export function expectAvaDuVernayFound(result: SearchResult): void {
  const hit = result.hits.find((candidate) => candidate.table === 'directors' && candidate.column === 'name');
  expect(hit, JSON.stringify(result.hits.map((h) => `${h.table}.${h.column}`))).toBeDefined();
  expect(hit!.rows).toHaveLength(1);
  expect(hit!.rows[0]).toMatchObject({
    name: 'Ava DuVernay',
    birth_year: 1972,
    nationality: 'American',
    awards: 8,
  });
  const films = hit!.related.find(
    (related) => related.table === 'movies' && related.direction === 'referenced_by',
  );
  expect(films).toBeDefined();
  expect(films!.via).toEqual({
    table: 'movies',
    columns: ['director_id'],
    references: { table: 'directors', columns: ['id'] },
  });
  const titles = films!.rows.map((row) => row.title);
  expect(titles).toContain('Selma');
  expect(titles).toEqual(expect.arrayContaining(['Middle of Nowhere', 'Selma', '13th']));
  expect(films!.rows.every((row) => row.director_id === hit!.rows[0]!.id)).toBe(true);
}
