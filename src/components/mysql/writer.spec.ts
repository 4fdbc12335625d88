import type { ComponentSpec } from '../../spec/component.js';
import {
  connectionOverrideProperties,
  connectionReferenceProperty,
  DATABASE_CONNECTION_FIELD_POLICIES,
  WRITE_BEHAVIOUR_PROPERTIES,
} from '../shared/database-spec-fields.js';

export const mysqlWriterSpec: ComponentSpec = {
  name: 'mysql.writer',
  version: '1.0.0',
  title: 'MySQL / MariaDB writer',
  description:
    'Writes its input rows to a MySQL or MariaDB table in batches of `batch_size` rows. `append` inserts ' +
    'rows, `replace` replaces the rows of the table with the input, `upsert` inserts new rows and updates ' +
    'rows whose `primary_key` already exists; `delete_insert` replaces the rows whose key is in the input, `scd2` keeps a history table (valid_from, valid_to, is_current, row_hash); `deleted_column` turns source soft deletes into deletes. Every mode but `append` needs `primary_key`; `schema_change` (evolve, freeze, discard_columns) says what happens to new or wider input columns. A missing table is ' +
    'created from the input columns unless `create_if_missing` is false.',
  modes: ['write'],
  capabilities: { bulkOperations: true, transactions: true, streaming: true },
  connection: { families: ['mysql'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'table'],
    properties: {
      connection: connectionReferenceProperty('mysql'),
      table: { type: 'string', minLength: 1, description: 'Table to write to.' },
      schema: {
        type: 'string',
        minLength: 1,
        description:
          "Database (MySQL calls it schema) that holds `table`; defaults to the connection's database.",
      },
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
        description: 'Rows sent to the server per INSERT batch.',
      },
      ...connectionOverrideProperties('MySQL', 3306),
    },
  },
  secrets: ['/password'],
  'x-connection-fields': DATABASE_CONNECTION_FIELD_POLICIES,
  examples: [
    {
      title: 'Upsert a CSV file into a table',
      config: { connection: '@mysql.warehouse', table: 'customers', write_mode: 'upsert', primary_key: 'id' },
      oml: `oml_version: "0.1.0"
name: customers-to-mysql
steps:
  - id: read-customers
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/customers.csv
    needs: []
  - id: write-customers
    component: mysql.writer
    mode: write
    config:
      connection: "@mysql.warehouse"
      table: customers
      write_mode: upsert
      primary_key: id
    needs: [read-customers]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use mysql.writer to load the rows of one upstream step into a MySQL or MariaDB table ' +
      '(`@mysql.<alias>`). Default to `write_mode: append`. Use `upsert` to keep a table in sync and ' +
      '`replace` to overwrite it; both require `primary_key` (a column name or a list of them). Confirm the ' +
      'target table and write mode with the user before proposing `replace`.',
    commonPatterns: [
      'write_mode: delete_insert or upsert + primary_key + deleted_column: is_deleted for incremental loads with soft deletes',
      'write_mode: scd2 + primary_key to keep every version of changed rows',
      'write_mode: upsert + primary_key: id for incremental syncs',
      'write_mode: replace + primary_key for full refreshes',
      'create_if_missing: false when the table must already exist',
    ],
    inputAliases: { write_mode: ['mode', 'if_exists'], primary_key: ['pk', 'keys', 'primary_keys'] },
  },
  limits: { max_batch_size: 100_000 },
};
