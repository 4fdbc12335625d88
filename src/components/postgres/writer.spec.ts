import type { ComponentSpec } from '../../spec/component.js';
import {
  connectionOverrideProperties,
  connectionReferenceProperty,
  DATABASE_CONNECTION_FIELD_POLICIES,
  WRITE_BEHAVIOUR_PROPERTIES,
} from '../shared/database-spec-fields.js';

export const postgresWriterSpec: ComponentSpec = {
  name: 'postgres.writer',
  version: '1.0.0',
  title: 'PostgreSQL writer',
  description:
    'Writes its input rows to a PostgreSQL table in batches of `batch_size` rows. `append` inserts rows, ' +
    '`replace` replaces the rows of the table with the input, `upsert` inserts new rows and updates rows ' +
    'whose `primary_key` already exists (INSERT ... ON CONFLICT); `delete_insert` replaces the rows whose key is in the input, `scd2` keeps a history table (valid_from, valid_to, is_current, row_hash); `deleted_column` turns source soft deletes into deletes. Every mode but `append` needs `primary_key`; `schema_change` (evolve, freeze, discard_columns) says what happens to new or wider input columns. ' +
    'A missing table is created from the input columns unless `create_if_missing` is false.',
  modes: ['write'],
  capabilities: { bulkOperations: true, transactions: true, streaming: true, readsInputOnce: true },
  connection: { families: ['postgres'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'table'],
    properties: {
      connection: connectionReferenceProperty('postgres'),
      table: { type: 'string', minLength: 1, description: 'Table to write to.' },
      schema: { type: 'string', minLength: 1, default: 'public', description: 'Schema that holds `table`.' },
      ...WRITE_BEHAVIOUR_PROPERTIES,
      create_if_missing: {
        type: 'boolean',
        default: true,
        description: 'Create the table from the input columns (and `primary_key`) when it does not exist.',
      },
      batch_size: {
        type: 'integer',
        minimum: 1,
        maximum: 100_000,
        default: 5000,
        description:
          'Accepted for compatibility; rows stream to the server through one COPY, not in batches.',
        'x-ignored': 'Rows stream to the server through one COPY, not in batches.',
      },
      ...connectionOverrideProperties('PostgreSQL', 5432),
    },
  },
  secrets: ['/password'],
  'x-connection-fields': DATABASE_CONNECTION_FIELD_POLICIES,
  examples: [
    {
      title: 'Copy a MySQL table into PostgreSQL, refreshing it fully',
      config: {
        connection: '@postgres.warehouse',
        schema: 'staging',
        table: 'movies',
        write_mode: 'replace',
        primary_key: 'id',
      },
      oml: `oml_version: "0.1.0"
name: movies-mysql-to-postgres
steps:
  - id: extract-movies
    component: mysql.extractor
    mode: read
    config:
      connection: "@mysql.db_movies"
      table: movies
    needs: []
  - id: load-movies
    component: postgres.writer
    mode: write
    config:
      connection: "@postgres.warehouse"
      schema: staging
      table: movies
      write_mode: replace
      primary_key: id
    needs: [extract-movies]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use postgres.writer to load the rows of one upstream step into a PostgreSQL table ' +
      '(`@postgres.<alias>`, schema defaults to `public`). Default to `write_mode: append`. Use `upsert` to ' +
      'keep a table in sync and `replace` to overwrite it; both require `primary_key` (a column name or a ' +
      'list of them). Confirm the target table and write mode with the user before proposing `replace`.',
    commonPatterns: [
      'write_mode: delete_insert or upsert + primary_key + deleted_column: is_deleted for incremental loads with soft deletes',
      'write_mode: scd2 + primary_key to keep every version of changed rows',
      'write_mode: upsert + primary_key: [tenant_id, id] for composite keys',
      'write_mode: replace + primary_key for full refreshes',
      'schema: staging to land data outside `public`',
    ],
    inputAliases: { write_mode: ['mode', 'if_exists'], primary_key: ['pk', 'keys', 'primary_keys'] },
  },
  limits: { max_batch_size: 100_000 },
};
