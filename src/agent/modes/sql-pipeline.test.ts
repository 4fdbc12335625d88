import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../composition/builtins.js';
import { parseConnectionsFile } from '../../connections/parse-connections-file.js';
import type { ConnectionsConfig } from '../../connections/types.js';
import { checkOml } from '../proposal/check-oml.js';
import {
  chooseSqlConnection,
  normalizeSelect,
  pipelineNameForSql,
  queryExtractorFor,
  sqlOutputWriter,
  sqlPipelineOml,
} from './sql-pipeline.js';

function config(yaml: string): ConnectionsConfig {
  const file = '/p/osiris_connections.yaml';
  return {
    file,
    projectDir: '/p',
    env: {},
    connections: parseConnectionsFile(`version: 1\nconnections:\n${yaml}`, file),
  };
}

describe('SQL mode pipeline', () => {
  it('accepts one SELECT or WITH statement and refuses anything else', () => {
    expect(normalizeSelect('  SELECT 1; ')).toBe('SELECT 1');
    expect(normalizeSelect('with x as (select 1) select * from x')).toMatch(/^with/);
    expect(() => normalizeSelect('DROP TABLE movies')).toThrow(
      expect.objectContaining({ code: 'E_READ_ONLY_VIOLATION' }),
    );
    expect(() => normalizeSelect('SELECT 1; DELETE FROM t')).toThrow(/one statement/);
    expect(() => normalizeSelect('  ')).toThrow(/needs a query/);
  });

  it('uses the given connection, else the single default, else the only one', () => {
    const two = config(
      '  mysql:\n    movies:\n      default: true\n      host: h\n  duckdb:\n    local:\n      path: x.duckdb\n',
    );
    expect(chooseSqlConnection(two).alias).toBe('movies');
    expect(chooseSqlConnection(two, '@duckdb.local').alias).toBe('local');
    expect(chooseSqlConnection(two, 'duckdb.local').family).toBe('duckdb');
    const ambiguous = config('  mysql:\n    a:\n      host: h\n    b:\n      host: h\n');
    expect(() => chooseSqlConnection(ambiguous)).toThrow(
      expect.objectContaining({
        code: 'E_CONNECTION_AMBIGUOUS',
        hint: expect.stringContaining('--connection'),
      }),
    );
  });

  it("builds a valid pipeline: the family's extractor with the query, then a CSV under output/", () => {
    const registry = createDefaultRegistry();
    expect(queryExtractorFor(registry, 'mysql')).toBe('mysql.extractor');
    expect(queryExtractorFor(registry, 'postgres')).toBe('postgres.extractor');
    const sql = 'SELECT title,\n  release_year\nFROM movie_list';
    const name = pipelineNameForSql(sql);
    expect(name).toBe('sql-movie-list');
    const oml = sqlPipelineOml({ name, component: 'mysql.extractor', connection: '@mysql.movies', sql });
    const connections = config('  mysql:\n    movies:\n      host: h\n');
    const check = checkOml(oml, { registry, connections, env: {} });
    expect(check.errors).toEqual([]);
    expect(check.document?.steps[0]?.config.query).toBe(`${sql}\n`);
    expect(check.document?.steps[1]?.config.path).toBe('output/sql-movie-list.csv');
  });

  it('with a default per family (MySQL and PostgreSQL), asks to name the connection in the message', () => {
    const perFamily = config(
      '  mysql:\n    shop:\n      default: true\n      host: h\n  postgres:\n    wh:\n      default: true\n      host: h\n',
    );
    let thrown: unknown;
    try {
      chooseSqlConnection(perFamily);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'E_CONNECTION_AMBIGUOUS',
      message: expect.stringContaining(
        '@mysql.shop (default for mysql), @postgres.wh (default for postgres)',
      ),
      hint: expect.stringContaining('SQL @mysql.shop: SELECT'),
    });
    // Both are already defaults: telling the user to mark one would not help.
    expect((thrown as { hint: string }).hint).not.toContain('default: true');
  });

  it('picks the writer from the output file extension', () => {
    const registry = createDefaultRegistry();
    const connections = config('  mysql:\n    movies:\n      host: h\n');
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['output/m.parquet', 'filesystem.parquet_writer', {}],
      ['output/m.jsonl', 'filesystem.json_writer', {}],
      ['output/m.json', 'filesystem.json_writer', { format: 'array' }],
      ['output/m.csv', 'filesystem.csv_writer', {}],
    ];
    for (const [output, component, extra] of cases) {
      const oml = sqlPipelineOml({
        name: 'm',
        component: 'mysql.extractor',
        connection: '@mysql.movies',
        sql: 'SELECT 1',
        output,
      });
      const check = checkOml(oml, { registry, connections, env: {} });
      expect(check.errors, output).toEqual([]);
      expect(check.document?.steps[1]).toMatchObject({ component, config: { path: output, ...extra } });
    }
    expect(() => sqlOutputWriter('output/m.xlsx')).toThrow(/\.csv, \.parquet, \.json or \.jsonl/);
  });
});
