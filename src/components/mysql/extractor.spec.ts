import type { ComponentSpec } from '../../spec/component.js';
import {
  connectionOverrideProperties,
  connectionReferenceProperty,
  DATABASE_CONNECTION_FIELD_POLICIES,
  parallelReadProperties,
  TABLE_SELECTION_PROPERTIES,
} from '../shared/database-spec-fields.js';
import { INCREMENTAL_PROPERTY } from '../shared/incremental-spec-fields.js';

export const mysqlExtractorSpec: ComponentSpec = {
  name: 'mysql.extractor',
  version: '1.0.0',
  title: 'MySQL / MariaDB extractor',
  description:
    'Reads rows from a MySQL or MariaDB database, either a table (optionally some of its columns and a ' +
    'row limit) or the result of a SQL query, and streams them into the run through a pipe, pausing the ' +
    'server while the run catches up, so tables larger than memory move safely. Discover mode lists tables, columns, types and row counts.',
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true, incremental: true, streamsOutput: true },
  connection: { families: ['mysql'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      connection: connectionReferenceProperty('mysql'),
      query: {
        type: 'string',
        minLength: 1,
        description:
          'A SELECT statement run in the source database, for filters, joins and aggregations done by MySQL. Set this or `table`, not both.',
      },
      table: {
        type: 'string',
        minLength: 1,
        description: 'Table to read. Set this or `query`, not both.',
      },
      ...INCREMENTAL_PROPERTY,
      schema: {
        type: 'string',
        minLength: 1,
        description:
          "Database (MySQL calls it schema) that holds `table`; defaults to the connection's database.",
      },
      ...TABLE_SELECTION_PROPERTIES,
      ...parallelReadProperties(
        'Each range is a consistent snapshot of its own, taken a moment after the first: MySQL cannot share one ' +
          'snapshot between connections, so rows changed while the ranges start may be seen in one state by one range ' +
          'and in another by the next. Read a quiet source or a replica, or leave `parallel` out, when that matters.',
      ),
      fetch_size: {
        type: 'integer',
        minimum: 1,
        maximum: 1_000_000,
        default: 10_000,
        description:
          'Rows fetched between progress reports (rows stream through a pipe; memory stays flat whatever the value).',
      },
      ...connectionOverrideProperties('MySQL', 3306),
    },
    oneOf: [{ required: ['query'] }, { required: ['table'] }],
  },
  secrets: ['/password'],
  'x-connection-fields': DATABASE_CONNECTION_FIELD_POLICIES,
  examples: [
    {
      title: 'Copy a table to a CSV file',
      config: { connection: '@mysql.db_movies', table: 'movies', columns: ['id', 'title', 'year'] },
      oml: `oml_version: "0.1.0"
name: movies-to-csv
steps:
  - id: extract-movies
    component: mysql.extractor
    mode: read
    config:
      connection: "@mysql.db_movies"
      table: movies
      columns: [id, title, year]
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
      title: 'Aggregate in the database with a query',
      config: {
        connection: '@mysql.db_movies',
        query: 'SELECT director_id, COUNT(*) AS movies FROM movies GROUP BY director_id',
      },
    },
  ],
  llmHints: {
    promptGuidance:
      'Use mysql.extractor to read from a MySQL or MariaDB connection (`@mysql.<alias>`). Set exactly one ' +
      'of `table` (plain copy, optionally with `columns` and `limit`) or `query` (a single read-only SELECT ' +
      'when filters, joins or aggregations should run in the database). Take table and column names from ' +
      'discovery, never guess them. Never put host, port or credentials in config: they come from the connection.',
    commonPatterns: [
      'table + columns for a plain copy of some columns',
      'query with WHERE/JOIN/GROUP BY to push work down to MySQL',
      'limit: 100 while trying a pipeline out',
      'a downstream duckdb.processor for SQL that combines several sources',
    ],
    inputAliases: { query: ['sql', 'select'], table: ['table_name', 'source_table'] },
  },
  limits: { max_fetch_size: 1_000_000 },
};
