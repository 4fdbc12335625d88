import type { ConnectionFieldPolicy } from '../spec/component.js';

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
    enum: ['append', 'replace', 'upsert'],
    default: 'append',
    description:
      '`append` inserts the rows; `replace` makes the table hold exactly the input rows; `upsert` inserts ' +
      'new rows and updates rows whose `primary_key` exists. `replace` and `upsert` require `primary_key`.',
  },
  primary_key: {
    oneOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    ],
    description:
      'Column or columns that identify a row. Required when `write_mode` is `replace` or `upsert`; it is ' +
      'the conflict key of `upsert` and the primary key of a table created by the writer.',
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
