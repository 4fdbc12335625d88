import type { ComponentSpec } from '../../spec/component.js';
import {
  connectionOverrideProperties,
  connectionReferenceProperty,
  DATABASE_CONNECTION_FIELD_POLICIES,
  WRITE_BEHAVIOUR_PROPERTIES,
} from '../shared/database-spec-fields.js';

export const supabaseWriterSpec: ComponentSpec = {
  name: 'supabase.writer',
  version: '1.0.0',
  title: 'Supabase writer',
  description:
    'Writes its input rows to a Supabase table in batches of `batch_size` rows. A supabase connection has ' +
    '`url` + `key` (the REST API) and/or `dsn` or host fields (the Postgres protocol). `append` inserts rows, ' +
    '`replace` replaces the rows of the table with the input, `upsert` inserts new rows and updates rows ' +
    'whose `primary_key` already exists; `delete_insert` replaces the rows whose key is in the input, `scd2` keeps a history table (valid_from, valid_to, is_current, row_hash); `deleted_column` turns source soft deletes into deletes. Every mode but `append` needs `primary_key`; `schema_change` (evolve, freeze, discard_columns) says what happens to new or wider input columns. Creating a missing table ' +
    'needs the Postgres protocol, because the REST API cannot create tables.',
  modes: ['write'],
  capabilities: { bulkOperations: true, streaming: true },
  connection: { families: ['supabase'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'table'],
    properties: {
      connection: connectionReferenceProperty('supabase'),
      table: { type: 'string', minLength: 1, description: 'Table to write to.' },
      schema: {
        type: 'string',
        minLength: 1,
        default: 'public',
        description: 'Schema that holds `table` (over REST it must be one the project exposes).',
      },
      ...WRITE_BEHAVIOUR_PROPERTIES,
      create_if_missing: {
        type: 'boolean',
        default: true,
        description:
          'Create the table from the input columns (and `primary_key`) when it does not exist; needs `dsn` or host fields in the connection.',
      },
      batch_size: {
        type: 'integer',
        minimum: 1,
        maximum: 100_000,
        default: 5000,
        description: 'Rows sent per request (REST) or per batch (Postgres protocol).',
      },
      ...connectionOverrideProperties('Supabase Postgres', 5432),
    },
  },
  secrets: ['/key', '/service_role_key', '/password', '/dsn'],
  'x-connection-fields': DATABASE_CONNECTION_FIELD_POLICIES,
  examples: [
    {
      title: 'Upsert MySQL rows into Supabase',
      config: { connection: '@supabase.main', table: 'movies', write_mode: 'upsert', primary_key: 'id' },
      oml: `oml_version: "0.1.0"
name: movies-to-supabase
steps:
  - id: extract-movies
    component: mysql.extractor
    mode: read
    config:
      connection: "@mysql.db_movies"
      table: movies
    needs: []
  - id: write-movies
    component: supabase.writer
    mode: write
    config:
      connection: "@supabase.main"
      table: movies
      write_mode: upsert
      primary_key: id
    needs: [extract-movies]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use supabase.writer to load the rows of one upstream step into a Supabase table ' +
      '(`@supabase.<alias>`). Default to `write_mode: append`; `upsert` and `replace` require `primary_key`. ' +
      'Over the REST API (`url` + `key`) the table must already exist: set `create_if_missing: false` unless ' +
      'the connection has `dsn` or host fields. Keys stay in the connection, never in config.',
    commonPatterns: [
      'write_mode: delete_insert or upsert + primary_key + deleted_column: is_deleted for incremental loads with soft deletes',
      'write_mode: scd2 + primary_key to keep every version of changed rows',
      'write_mode: upsert + primary_key: id to sync a table',
      'create_if_missing: false with a REST-only connection',
    ],
    inputAliases: { write_mode: ['mode', 'if_exists'], primary_key: ['pk', 'keys', 'primary_keys'] },
  },
  limits: { max_batch_size: 100_000 },
};
