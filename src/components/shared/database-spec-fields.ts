import type { ConnectionFieldPolicy } from '../../spec/component.js';

/** `@family` or `@family.alias`, as OML writes a reference into osiris_connections.yaml. */
export const CONNECTION_REFERENCE_PATTERN = '^@[a-z][a-z0-9_]*(\\.[A-Za-z0-9_-]+)?$';

/**
 * Config fragments shared by the database components, so every family describes its connection
 * reference and its overridable fields the same way.
 */
export function connectionReferenceProperty(family: string): Record<string, unknown> {
  return {
    type: 'string',
    pattern: CONNECTION_REFERENCE_PATTERN,
    description:
      `Connection to use: \`@${family}.<alias>\` from osiris_connections.yaml (\`@${family}\` alone picks ` +
      'the default alias). Host and credentials come from the connection, never from the pipeline.',
  };
}

/** Fields a step may name to adjust its connection, with the policy for each. */
export const DATABASE_CONNECTION_FIELD_POLICIES: ConnectionFieldPolicy[] = [
  { name: 'host', override: 'forbidden' },
  { name: 'port', override: 'forbidden' },
  { name: 'user', override: 'warning' },
  { name: 'database', override: 'allowed' },
];

export function connectionOverrideProperties(product: string, defaultPort: number): Record<string, unknown> {
  return {
    host: {
      type: 'string',
      minLength: 1,
      description: `${product} host. Comes from the connection; a step may not override it (a pipeline must not silently point at another server).`,
    },
    port: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      description: `${product} port (usually ${defaultPort}). Comes from the connection; a step may not override it.`,
    },
    database: {
      type: 'string',
      minLength: 1,
      description:
        "Database name. Overrides the connection's database, e.g. to use another database on the same server.",
    },
    user: {
      type: 'string',
      minLength: 1,
      description:
        "User name. Overrides the connection's user, with a warning: credentials belong in the connection, and the password always comes from it.",
    },
  };
}

/** How a database writer treats the target: identical for every family. */
export const WRITE_BEHAVIOUR_PROPERTIES: Record<string, unknown> = {
  write_mode: {
    enum: ['append', 'replace', 'upsert', 'delete_insert', 'scd2'],
    default: 'append',
    description:
      '`append` inserts the rows; `replace` makes the table hold exactly the input rows; `upsert` inserts ' +
      'new rows and updates rows whose `primary_key` exists; `delete_insert` deletes the rows whose ' +
      '`primary_key` appears in the input, then inserts the input; `scd2` keeps a history table: a new or ' +
      'changed row closes the current version (`valid_to`, `is_current`) and adds one. Every mode runs in one ' +
      'transaction. All but `append` require `primary_key`.',
  },
  primary_key: {
    oneOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    ],
    description:
      'Column or columns that identify a row. Required unless `write_mode` is `append`; it is the conflict ' +
      'key of `upsert`, the key `delete_insert` deletes by, the business key of `scd2`, and the primary key ' +
      'of a table created by the writer (with `scd2`: the key plus `valid_from`).',
  },
  deleted_column: {
    type: 'string',
    minLength: 1,
    description:
      'Input column that marks a row deleted at the source (soft delete), e.g. `is_deleted`. With `upsert` ' +
      'and `delete_insert` a row whose flag is true (true, 1, "true", "yes") deletes the target row of its ' +
      '`primary_key`; with `scd2` it closes the current version. Requires `primary_key`.',
  },
  scd2_columns: {
    type: 'object',
    additionalProperties: false,
    properties: {
      valid_from: { type: 'string', minLength: 1, default: 'valid_from' },
      valid_to: { type: 'string', minLength: 1, default: 'valid_to' },
      is_current: { type: 'string', minLength: 1, default: 'is_current' },
      row_hash: { type: 'string', minLength: 1, default: 'row_hash' },
    },
    description:
      'Names of the history columns `write_mode: scd2` maintains: `valid_from` (when the version was ' +
      'written, UTC), `valid_to` (NULL for the current version), `is_current` and `row_hash` (MD5 of the ' +
      'tracked columns, to tell a changed row from an unchanged one).',
  },
  schema_change: {
    enum: ['evolve', 'freeze', 'discard_columns'],
    description:
      '(Default `evolve`.) What happens when the input has columns the target table lacks, or a wider type: `evolve` adds ' +
      'the columns (ALTER TABLE ... ADD COLUMN) and widens types where no value can change (a lossy ' +
      'change is an error naming table, column, old and new type); `freeze` fails before writing anything, ' +
      'naming the new or changed columns; `discard_columns` drops input columns the table lacks.',
  },
  lock_timeout: {
    type: 'integer',
    minimum: 1,
    maximum: 86_400,
    default: 600,
    description:
      'Seconds to wait for the target table. One writer writes a table at a time: a second run writing the ' +
      'same table waits for the first to commit, then writes; past this many seconds (or when another ' +
      'session keeps a lock on the table that long) the step fails with E_TARGET_LOCKED and the table is ' +
      "left as it was. A wait on another session's lock ends a little before the connection's `read_timeout`. " +
      'Not used by supabase.writer over REST.',
  },
};

/** Narrowing a `table` read: identical for every family. */
export const TABLE_SELECTION_PROPERTIES: Record<string, unknown> = {
  columns: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', minLength: 1 },
    description: 'Columns of `table` to read, in this order; all columns when omitted.',
  },
  limit: {
    type: 'integer',
    minimum: 0,
    description: 'Read at most this many rows; all rows when omitted.',
  },
};

/** Row order of a `table` read (PostgreSQL-protocol extractors). */
export const TABLE_ORDER_PROPERTY: Record<string, unknown> = {
  order: {
    enum: ['primary_key', 'none'],
    description:
      '`primary_key` (when omitted) reads `table` in primary-key order (ORDER BY the key), so every run gives the rows in ' +
      'the same order; a table or view without a primary key comes in the order the server sends. `none` ' +
      'skips the ORDER BY (saves a sort when the key index is not used; the order may then differ between ' +
      'runs). Only for `table`: a `query` keeps its own ORDER BY.',
  },
};

/**
 * `parallel` + `partition_column` of the extractors that can split a read into ranges. What the
 * ranges see differs per family, and the spec says so (`consistency`).
 */
export function parallelReadProperties(consistency: string): Record<string, unknown> {
  return {
    parallel: {
      type: 'integer',
      minimum: 1,
      maximum: 16,
      description:
        'Read in this many ranges of `partition_column` at once, each over its own connection, into one table ' +
        '(like ConnectorX `partition_on`). Costs one connection per range on the server and a 32 MiB read ' +
        "buffer per range from the run's memory (ranges beyond half of `memory_limit` are merged, with a " +
        `warning); the rows come in no particular order. ${consistency} Worth it when one connection cannot ` +
        'keep up with the server and the network; 1 (the default) reads in one stream.',
    },
    partition_column: {
      type: 'string',
      minLength: 1,
      description:
        'Integer column to split a `parallel` read by, into ranges of equal width between its min and max ' +
        '(NULLs go with the first). Defaults to the single-column primary key of `table`; a `query` needs it.',
    },
  };
}
