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

export const postgresExtractorSpec: ComponentSpec = {
  name: 'postgres.extractor',
  version: '1.0.0',
  title: 'PostgreSQL extractor',
  description:
    'Reads rows from a PostgreSQL database, either a table (optionally some of its columns and a row ' +
    'limit) or the result of a SQL query, and streams them into the run in batches of `fetch_size` rows, ' +
    'so tables larger than memory move safely. Discover mode lists tables, columns, types and row counts.',
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true, incremental: true, streamsOutput: true },
  connection: { families: ['postgres'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      connection: connectionReferenceProperty('postgres'),
      query: {
        type: 'string',
        minLength: 1,
        description:
          'A SELECT statement run in the source database, for filters, joins and aggregations done by PostgreSQL. Set this or `table`, not both.',
      },
      table: {
        type: 'string',
        minLength: 1,
        description: 'Table (or view) to read. Set this or `query`, not both.',
      },
      ...INCREMENTAL_PROPERTY,
      schema: {
        type: 'string',
        minLength: 1,
        default: 'public',
        description: 'Schema that holds `table`.',
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
        description:
          'Accepted for compatibility; rows stream through COPY into the run without batches, so memory stays bounded whatever the value.',
        'x-ignored':
          'Rows stream through COPY into the run without batches, so memory stays bounded without it.',
      },
      ...connectionOverrideProperties('PostgreSQL', 5432),
    },
    oneOf: [{ required: ['query'] }, { required: ['table'] }],
  },
  secrets: ['/password'],
  'x-connection-fields': DATABASE_CONNECTION_FIELD_POLICIES,
  examples: [
    {
      title: 'Copy recent orders to Parquet',
      config: {
        connection: '@postgres.shop',
        query:
          "SELECT id, customer_id, total, created_at FROM orders WHERE created_at >= now() - interval '30 days'",
      },
      oml: `oml_version: "0.1.0"
name: recent-orders-to-parquet
steps:
  - id: extract-orders
    component: postgres.extractor
    mode: read
    config:
      connection: "@postgres.shop"
      query: "SELECT id, customer_id, total, created_at FROM orders WHERE created_at >= now() - interval '30 days'"
    needs: []
  - id: write-orders
    component: filesystem.parquet_writer
    mode: write
    config:
      path: output/recent_orders.parquet
    needs: [extract-orders]
`,
    },
    {
      title: 'Read some columns of a table in another schema',
      config: { connection: '@postgres.shop', schema: 'sales', table: 'customers', columns: ['id', 'email'] },
    },
  ],
  llmHints: {
    promptGuidance:
      'Use postgres.extractor to read from a PostgreSQL connection (`@postgres.<alias>`). Set exactly one of ' +
      '`table` (plain copy, optionally with `schema`, `columns` and `limit`; schema defaults to `public`) or ' +
      '`query` (a single read-only SELECT when filters, joins or aggregations should run in the database). ' +
      'Take table and column names from discovery, never guess them. Never put host, port or credentials in ' +
      'config: they come from the connection.',
    commonPatterns: [
      'table + columns for a plain copy of some columns',
      'query with WHERE/JOIN/GROUP BY to push work down to PostgreSQL',
      'schema: <name> for tables outside `public`',
      'limit: 100 while trying a pipeline out',
    ],
    inputAliases: { query: ['sql', 'select'], table: ['table_name', 'source_table'] },
  },
  limits: { max_fetch_size: 1_000_000 },
};
