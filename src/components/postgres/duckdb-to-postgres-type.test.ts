import { describe, expect, it } from 'vitest';
import { parseDuckdbType, postgresTypeFor, renderForPostgres } from './duckdb-to-postgres-type.js';

describe('DuckDB → PostgreSQL types for create_if_missing', () => {
  it.each([
    ['BOOLEAN', 'boolean'],
    ['TINYINT', 'smallint'],
    ['INTEGER', 'integer'],
    ['BIGINT', 'bigint'],
    ['UBIGINT', 'numeric(20,0)'],
    ['HUGEINT', 'numeric(39,0)'],
    ['DECIMAL(10,2)', 'numeric(10,2)'],
    ['FLOAT', 'real'],
    ['DOUBLE', 'double precision'],
    ['VARCHAR', 'text'],
    ['BLOB', 'bytea'],
    ['DATE', 'date'],
    ['TIME', 'time'],
    ['TIME WITH TIME ZONE', 'timetz'],
    ['TIMESTAMP', 'timestamp'],
    ['TIMESTAMP_NS', 'timestamp'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamptz'],
    ['INTERVAL', 'interval'],
    ['UUID', 'uuid'],
    ['JSON', 'jsonb'],
    ['INTEGER[]', 'integer[]'],
    ['DECIMAL(12,2)[3]', 'numeric(12,2)[]'],
    ['VARCHAR[][]', 'jsonb'],
    ['STRUCT(a INTEGER, b VARCHAR[])', 'jsonb'],
    ['STRUCT(a INTEGER)[]', 'jsonb'],
    ['MAP(VARCHAR, INTEGER)', 'jsonb'],
    ["ENUM('a', 'b')", 'text'],
    ['GEOMETRY', 'text'],
  ])('%s → %s', (duckdb, postgres) => {
    expect(postgresTypeFor(parseDuckdbType(duckdb))).toBe(postgres);
  });

  it('renders lists as array literals, or JSON for json targets', () => {
    expect(renderForPostgres(parseDuckdbType('INTEGER[]'), '"v"', 'json')).toBe(
      'CAST(to_json("v") AS VARCHAR)',
    );
    expect(renderForPostgres(parseDuckdbType('INTEGER[]'), '"v"')).toContain(
      'array_to_string(list_transform("v"',
    );
  });
});
