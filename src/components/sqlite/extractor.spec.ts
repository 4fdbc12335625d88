import type { ComponentSpec } from '../../spec/component.js';
import { CONNECTION_REFERENCE_PATTERN } from '../shared/database-spec-fields.js';
import { INCREMENTAL_PROPERTY } from '../shared/incremental-spec-fields.js';

export const sqliteExtractorSpec: ComponentSpec = {
  name: 'sqlite.extractor',
  version: '1.0.0',
  title: 'SQLite database extractor',
  description:
    'Reads rows from a SQLite database file, either a table or the result of a SQL query, and streams them ' +
    'into the run. The database comes from a `@sqlite.<alias>` connection or from `path`, and is opened ' +
    'read-only. Handy for embedded demo data and app databases.',
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true, incremental: true },
  connection: { families: ['sqlite'], required: false },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      connection: {
        type: 'string',
        pattern: CONNECTION_REFERENCE_PATTERN,
        description:
          'Connection `@sqlite.<alias>` from osiris_connections.yaml whose `path` names the database file. Set this or `path`.',
      },
      path: {
        type: 'string',
        minLength: 1,
        description:
          'Database file, relative to the project folder (it may not lead outside it). Set this or `connection`.',
      },
      query: {
        type: 'string',
        minLength: 1,
        description: 'SQLite SELECT whose result is the output. Set this or `table`, not both.',
      },
      table: {
        type: 'string',
        minLength: 1,
        description: 'Table or view to read. Set this or `query`, not both.',
      },
      ...INCREMENTAL_PROPERTY,
    },
    allOf: [
      { oneOf: [{ required: ['query'] }, { required: ['table'] }] },
      { oneOf: [{ required: ['connection'] }, { required: ['path'] }] },
    ],
  },
  secrets: [],
  examples: [
    {
      title: 'Filter a table of a SQLite file into JSON Lines',
      config: { path: 'data/movies.sqlite', query: 'SELECT id, title, year FROM movies WHERE year >= 2000' },
      oml: `oml_version: "0.1.0"
name: sqlite-recent-movies
steps:
  - id: extract-movies
    component: sqlite.extractor
    mode: read
    config:
      path: data/movies.sqlite
      query: "SELECT id, title, year FROM movies WHERE year >= 2000"
    needs: []
  - id: write-movies
    component: filesystem.json_writer
    mode: write
    config:
      path: output/recent_movies.jsonl
    needs: [extract-movies]
`,
    },
    {
      title: 'Read a table through a connection',
      config: { connection: '@sqlite.demo', table: 'directors' },
    },
  ],
  llmHints: {
    promptGuidance:
      'Use sqlite.extractor to read a local SQLite database file: set exactly one of `path` (relative to ' +
      'the project) or `connection` (`@sqlite.<alias>`), and exactly one of `table` or `query` (SQLite SQL). ' +
      'For joins with other sources, extract the tables and join them in duckdb.processor.',
    commonPatterns: ['path + table for a plain copy', 'query with WHERE to read a subset'],
    inputAliases: { path: ['file', 'database', 'db_path'], query: ['sql'] },
  },
};
