import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../composition/builtins.js';
import type { ComponentSpec } from '../spec/component.js';
import { configSchemaValidator } from './config-validator.js';

const spec = (name: string) => builtinSpecs.find((candidate) => candidate.name === name)!;

function errorsFor(name: string, config: Record<string, unknown>): string[] {
  const validate = configSchemaValidator(spec(name));
  return validate(config)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.keyword}`);
}

describe('configSchemaValidator', () => {
  it('is compiled once per spec', () => {
    expect(configSchemaValidator(spec('mysql.extractor'))).toBe(
      configSchemaValidator(spec('mysql.extractor')),
    );
  });

  it('requires exactly one of query and table', () => {
    expect(errorsFor('mysql.extractor', { connection: '@mysql.db', table: 'movies' })).toEqual([]);
    expect(errorsFor('mysql.extractor', { connection: '@mysql.db', query: 'SELECT 1' })).toEqual([]);
    expect(errorsFor('mysql.extractor', { connection: '@mysql.db' })).toContain(' oneOf');
    expect(
      errorsFor('mysql.extractor', { connection: '@mysql.db', query: 'SELECT 1', table: 'x' }),
    ).toContain(' oneOf');
  });

  it('reports every problem at once, and does not fill defaults', () => {
    const config = { connection: 'mysql.db', table: 'movies', limit: -1, colour: 'red' };
    expect(errorsFor('mysql.extractor', config).sort()).toEqual([
      ' additionalProperties',
      '/connection pattern',
      '/limit minimum',
    ]);
    expect(config).not.toHaveProperty('fetch_size');
  });

  it('accepts connection references with and without an alias', () => {
    expect(errorsFor('postgres.writer', { connection: '@postgres', table: 't' })).toEqual([]);
    expect(errorsFor('postgres.writer', { connection: '@postgres.prod-eu_1', table: 't' })).toEqual([]);
    expect(errorsFor('postgres.writer', { connection: '@Postgres', table: 't' })).toEqual([
      '/connection pattern',
    ]);
  });

  it('accepts primary_key as a column or a list of columns', () => {
    const writer = { connection: '@mysql.db', table: 't', write_mode: 'upsert' };
    expect(errorsFor('mysql.writer', { ...writer, primary_key: 'id' })).toEqual([]);
    expect(errorsFor('mysql.writer', { ...writer, primary_key: ['tenant', 'id'] })).toEqual([]);
    expect(errorsFor('mysql.writer', { ...writer, primary_key: [] })).toContain('/primary_key oneOf');
    expect(errorsFor('mysql.writer', { ...writer, write_mode: 'merge' })).toEqual(['/write_mode enum']);
  });

  it('needs a database for sqlite but not for duckdb, and never both sources', () => {
    expect(errorsFor('sqlite.extractor', { table: 'x' })).toContain(' oneOf');
    expect(errorsFor('sqlite.extractor', { path: 'a.sqlite', table: 'x' })).toEqual([]);
    expect(errorsFor('duckdb.extractor', { query: "SELECT * FROM read_csv('a.csv')" })).toEqual([]);
    expect(errorsFor('duckdb.extractor', { connection: '@duckdb.a', path: 'a.duckdb', table: 'x' })).toEqual([
      ' not',
    ]);
  });

  it('validates map-shaped csv columns', () => {
    expect(errorsFor('filesystem.csv_extractor', { path: 'a.csv', columns: { id: 'BIGINT' } })).toEqual([]);
    expect(errorsFor('filesystem.csv_extractor', { path: 'a.csv', columns: { id: 1 } })).toEqual([
      '/columns/id type',
    ]);
  });

  it('lets x-* annotation keywords through', () => {
    const annotated: ComponentSpec = {
      ...spec('duckdb.processor'),
      configSchema: {
        type: 'object',
        additionalProperties: false,
        properties: { query: { type: 'string', description: 'SQL', 'x-ui-widget': 'sql-editor' } },
      },
    };
    expect(configSchemaValidator(annotated)({ query: 'SELECT 1' })).toBe(true);
  });
});
