import type { ComponentSpec } from '../../spec/component.js';
import {
  connectionOverrideProperties,
  connectionReferenceProperty,
  DATABASE_CONNECTION_FIELD_POLICIES,
  parallelReadProperties,
  TABLE_ORDER_PROPERTY,
  TABLE_SELECTION_PROPERTIES,
} from '../shared/database-spec-fields.js';
import { INCREMENTAL_PROPERTY } from '../shared/incremental-spec-fields.js';

export const supabaseExtractorSpec: ComponentSpec = {
  name: 'supabase.extractor',
  version: '1.0.0',
  title: 'Supabase extractor',
  description:
    'Reads rows from a Supabase project, either a table (optionally some of its columns and a row limit) ' +
    'or the result of a SQL query, in batches of `fetch_size` rows. A supabase connection has `url` + `key` ' +
    '(the REST API) and/or `dsn` or host fields (the Postgres protocol). Tables can be read over either; ' +
    '`query` needs the Postgres protocol because the REST API cannot run SQL.',
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true, incremental: true, streamsOutput: true },
  connection: { families: ['supabase'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      connection: connectionReferenceProperty('supabase'),
      query: {
        type: 'string',
        minLength: 1,
        description:
          'A SELECT statement run in the database (needs a connection with `dsn` or host fields). Set this or `table`, not both.',
      },
      table: {
        type: 'string',
        minLength: 1,
        description:
          'Table (or view) to read, over REST or the Postgres protocol. Set this or `query`, not both.',
      },
      ...INCREMENTAL_PROPERTY,
      schema: {
        type: 'string',
        minLength: 1,
        default: 'public',
        description: 'Schema that holds `table` (over REST it must be one the project exposes).',
      },
      ...TABLE_SELECTION_PROPERTIES,
      ...TABLE_ORDER_PROPERTY,
      ...parallelReadProperties(
        'The ranges share one snapshot (`pg_export_snapshot()`), so together they are one consistent copy.',
      ),
      fetch_size: {
        type: 'integer',
        minimum: 1,
        maximum: 1_000_000,
        default: 10_000,
        description: 'Rows per batch (REST page size or cursor batch); bounds memory use.',
      },
      ...connectionOverrideProperties('Supabase Postgres', 5432),
    },
    oneOf: [{ required: ['query'] }, { required: ['table'] }],
  },
  secrets: ['/key', '/service_role_key', '/password', '/dsn'],
  'x-connection-fields': DATABASE_CONNECTION_FIELD_POLICIES,
  examples: [
    {
      title: 'Export a table to JSON Lines',
      config: { connection: '@supabase.main', table: 'profiles', columns: ['id', 'username', 'created_at'] },
      oml: `oml_version: "0.1.0"
name: profiles-to-jsonl
steps:
  - id: extract-profiles
    component: supabase.extractor
    mode: read
    config:
      connection: "@supabase.main"
      table: profiles
      columns: [id, username, created_at]
    needs: []
  - id: write-profiles
    component: filesystem.json_writer
    mode: write
    config:
      path: output/profiles.jsonl
    needs: [extract-profiles]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use supabase.extractor to read from a Supabase project (`@supabase.<alias>`). Set exactly one of ' +
      '`table` (works over the REST API with `url` + `key`, or over the Postgres protocol) or `query` (only ' +
      'when the connection has `dsn` or host fields, since the REST API cannot run SQL). Keys and passwords ' +
      'stay in the connection, never in config.',
    commonPatterns: [
      'table + columns over REST for a plain export',
      'query with joins when the connection has a dsn',
      'limit: 100 while trying a pipeline out',
    ],
    inputAliases: { query: ['sql', 'select'], table: ['table_name', 'source_table'] },
  },
  limits: { max_fetch_size: 1_000_000 },
};
