import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../composition/builtins.js';
import type { ComponentSpec } from '../spec/component.js';
import { formatComponentDetails, formatComponentTable } from './component-text.js';
import { describeConfigFields } from './config-fields.js';
import { summarizeSpec } from './spec-summary.js';

const spec = (name: string) => builtinSpecs.find((candidate) => candidate.name === name)!;

describe('describeConfigFields', () => {
  it('describes type, requirement, default, alternatives and override policy of each key', () => {
    const fields = describeConfigFields(spec('mysql.writer'));
    expect(fields.map((field) => field.name)).toEqual([
      'connection',
      'table',
      'schema',
      'write_mode',
      'primary_key',
      'deleted_column',
      'scd2_columns',
      'schema_change',
      'lock_timeout',
      'create_if_missing',
      'batch_size',
      'host',
      'port',
      'database',
      'user',
    ]);
    const byName = new Map(fields.map((field) => [field.name, field]));
    expect(byName.get('write_mode')).toMatchObject({
      type: 'append|replace|upsert|delete_insert|scd2',
      required: false,
      default: 'append',
    });
    expect(byName.get('primary_key')!.type).toBe('string | string[]');
    expect(byName.get('table')!.required).toBe(true);
    expect(byName.get('host')!.connectionOverride).toBe('forbidden');
    expect(byName.get('database')!.connectionOverride).toBe('allowed');
  });

  it('finds one-of groups, also nested in allOf', () => {
    const sqlite = new Map(
      describeConfigFields(spec('sqlite.extractor')).map((field) => [field.name, field]),
    );
    expect(sqlite.get('query')!.alternativeTo).toEqual(['table']);
    expect(sqlite.get('path')!.alternativeTo).toEqual(['connection']);
    expect(
      describeConfigFields(spec('filesystem.csv_extractor')).find((f) => f.name === 'columns')!.type,
    ).toBe('map<string, string>');
  });

  it('marks keys listed in secrets', () => {
    const withSecret: ComponentSpec = {
      ...spec('duckdb.processor'),
      secrets: ['/token'],
      configSchema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          query: { type: 'string', description: 'SQL' },
          token: { type: 'string', description: 'API token' },
        },
      },
    };
    expect(describeConfigFields(withSecret).map((field) => [field.name, field.secret])).toEqual([
      ['query', false],
      ['token', true],
    ]);
    expect(formatComponentDetails(withSecret)).toMatch(/token\s+string \(secret\)/);
  });
});

describe('formatComponentTable', () => {
  it('aligns name, modes and title columns', () => {
    const lines = formatComponentTable([spec('mysql.extractor'), spec('filesystem.csv_writer')]).split('\n');
    expect(lines).toEqual([
      'NAME                   MODES              TITLE',
      'mysql.extractor        extract, discover  MySQL / MariaDB extractor',
      'filesystem.csv_writer  write              CSV file writer',
    ]);
  });
});

describe('formatComponentDetails', () => {
  it('shows modes, connection, config table, policies and the example OML', () => {
    const text = formatComponentDetails(spec('mysql.extractor'));
    expect(text).toMatch(/^mysql\.extractor 1\.0\.0: MySQL \/ MariaDB extractor\n/);
    expect(text).toContain('Modes:        extract, discover');
    expect(text).toContain('Connection:   @mysql.<alias> (required)');
    expect(text).toMatch(/NAME\s+TYPE\s+REQUIRED\s+DEFAULT\s+DESCRIPTION/);
    expect(text).toMatch(/query\s+string\s+one of: query, table\s+A SELECT/);
    expect(text).toMatch(/fetch_size\s+integer\s+no\s+10000\s+Rows fetched/);
    expect(text).toMatch(/host\s+forbidden\s+always taken from the connection/);
    expect(text).toContain('Secrets (masked in every output; keep them in the connection): /password');
    expect(text).toContain('  oml_version: "0.1.0"');
  });
});

describe('summarizeSpec', () => {
  it('gives name, modes, families and enabled capabilities', () => {
    expect(summarizeSpec(spec('supabase.writer'))).toEqual({
      name: 'supabase.writer',
      version: '1.0.0',
      title: 'Supabase writer',
      description: spec('supabase.writer').description,
      modes: ['write'],
      connectionFamilies: ['supabase'],
      capabilities: ['bulkOperations', 'streaming'],
    });
  });
});
