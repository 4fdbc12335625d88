import type { ComponentSpec } from '../../spec/component.js';
import { CONNECTION_REFERENCE_PATTERN } from '../shared/database-spec-fields.js';
import { INCREMENTAL_PROPERTY } from '../shared/incremental-spec-fields.js';

export const duckdbExtractorSpec: ComponentSpec = {
  name: 'duckdb.extractor',
  version: '1.0.0',
  title: 'DuckDB database extractor',
  description:
    'Reads rows from a DuckDB database file, either a table or the result of a SQL query, and streams them ' +
    'into the run. The database comes from a `@duckdb.<alias>` connection or from `path`, and is opened ' +
    'read-only. With neither, the query runs in an empty in-memory database, which still reads files with ' +
    "DuckDB's table functions such as `read_parquet('data/x.parquet')`.",
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true, incremental: true },
  connection: { families: ['duckdb'], required: false },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      connection: {
        type: 'string',
        pattern: CONNECTION_REFERENCE_PATTERN,
        description:
          'Connection `@duckdb.<alias>` from osiris_connections.yaml whose `path` names the database file. Use this or `path`, not both.',
      },
      path: {
        type: 'string',
        minLength: 1,
        description:
          'Database file, relative to the project folder (it may not lead outside it). Use this or `connection`, not both.',
      },
      query: {
        type: 'string',
        minLength: 1,
        description: 'DuckDB SELECT whose result is the output. Set this or `table`, not both.',
      },
      table: {
        type: 'string',
        minLength: 1,
        description: 'Table or view to read. Set this or `query`, not both.',
      },
      ...INCREMENTAL_PROPERTY,
    },
    oneOf: [{ required: ['query'] }, { required: ['table'] }],
    not: { required: ['connection', 'path'] },
  },
  secrets: [],
  examples: [
    {
      title: 'Read a table from a DuckDB file',
      config: { path: 'data/movies.duckdb', table: 'movies' },
      oml: `oml_version: "0.1.0"
name: duckdb-movies-to-csv
steps:
  - id: extract-movies
    component: duckdb.extractor
    mode: read
    config:
      path: data/movies.duckdb
      table: movies
    needs: []
  - id: write-movies
    component: filesystem.csv_writer
    mode: write
    config:
      path: output/movies.csv
    needs: [extract-movies]
`,
    },
    {
      title: 'Query a Parquet file without a database',
      config: { query: "SELECT * FROM read_parquet('data/events.parquet') WHERE kind = 'click'" },
    },
  ],
  llmHints: {
    promptGuidance:
      'Use duckdb.extractor to read a local DuckDB database file (`path`, relative to the project, or a ' +
      '`@duckdb.<alias>` connection). Set exactly one of `table` or `query`. Without a database it can also ' +
      "query files directly, e.g. `SELECT * FROM read_parquet('data/x.parquet')`. For CSV files prefer " +
      'filesystem.csv_extractor; to transform data already in the pipeline use duckdb.processor instead.',
    commonPatterns: [
      'path + table to copy a table out of a .duckdb file',
      "query: SELECT * FROM read_parquet('...') for Parquet inputs",
    ],
    inputAliases: { path: ['file', 'database', 'db_path'], query: ['sql'] },
  },
};
