import { formatConnectionRef } from '../../connections/connection-ref.js';
import { selectConnection } from '../../connections/select-connection.js';
import type { ConnectionsConfig, RawConnection } from '../../connections/types.js';
import type { Registry } from '../../registry/registry.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** A single read statement: what SQL mode accepts. Writes belong in a writer step, not here. */
export function normalizeSelect(sql: string): string {
  const statement = sql.trim().replace(/;\s*$/, '').trim();
  if (statement.length === 0) {
    throw new OsirisError(ErrorCodes.USAGE, 'SQL mode needs a query after "SQL:".', {
      hint: 'e.g. SQL: SELECT title, release_year FROM movies',
    });
  }
  if (!/^(select|with)\b/i.test(statement)) {
    throw new OsirisError(
      ErrorCodes.READ_ONLY_VIOLATION,
      'SQL mode takes a SELECT (or WITH … SELECT) statement.',
      {
        hint: 'the pipeline writes the result to a file; to change data, describe what you want instead',
      },
    );
  }
  if (statement.includes(';')) {
    throw new OsirisError(ErrorCodes.USAGE, 'SQL mode takes one statement; this one has several.', {
      hint: 'remove everything after the first `;`',
    });
  }
  return statement;
}

/**
 * The connection SQL mode reads from: the one given, else the single default connection, else the
 * only connection there is.
 */
export function chooseSqlConnection(connections: ConnectionsConfig, explicit?: string): RawConnection {
  if (explicit) return selectConnection(connections, explicit.startsWith('@') ? explicit : `@${explicit}`);
  const all = connections.connections;
  const defaults = all.filter((raw) => raw.isDefault);
  if (defaults.length === 1) return defaults[0]!;
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_AMBIGUOUS,
      'SQL mode needs a connection, and none is configured.',
      {
        hint: 'add one to osiris_connections.yaml (osiris init shows examples)',
      },
    );
  }
  // Defaults are per family: with MySQL and PostgreSQL defaults both set, neither decides.
  const refs = all.map(
    (raw) =>
      `${formatConnectionRef(raw.family, raw.alias)}${raw.isDefault ? ` (default for ${raw.family})` : ''}`,
  );
  const example = formatConnectionRef((defaults[0] ?? all[0]!).family, (defaults[0] ?? all[0]!).alias);
  const oneFamily = new Set(all.map((raw) => raw.family)).size === 1;
  throw new OsirisError(
    ErrorCodes.CONNECTION_AMBIGUOUS,
    `SQL mode cannot tell which connection to query: ${refs.join(', ')}.`,
    {
      hint:
        `name it in the message: \`SQL ${example}: SELECT …\` (or start the chat with --connection ${example})` +
        (oneFamily && defaults.length === 0 ? ', or mark one connection `default: true`' : ''),
    },
  );
}

/** The writer for SQL mode's output file, by its extension (CSV when there is none). */
export function sqlOutputWriter(path: string): { component: string; extra: string } {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return { component: 'filesystem.parquet_writer', extra: '' };
  if (lower.endsWith('.jsonl')) return { component: 'filesystem.json_writer', extra: '' };
  if (lower.endsWith('.json')) return { component: 'filesystem.json_writer', extra: '      format: array\n' };
  if (lower.endsWith('.csv')) return { component: 'filesystem.csv_writer', extra: '' };
  throw new OsirisError(
    ErrorCodes.USAGE,
    `SQL mode writes .csv, .parquet, .json or .jsonl files, not ${path}.`,
    {
      hint: 'e.g. SQL output/result.parquet: SELECT …',
    },
  );
}

/** The extractor that runs a query on a connection family (`mysql` → mysql.extractor). */
export function queryExtractorFor(registry: Registry, family: string): string {
  const match = registry.list().find(({ spec }) => {
    const properties = spec.configSchema.properties as Record<string, unknown> | undefined;
    return (
      spec.modes.includes('extract') &&
      spec.connection?.families.includes(family) &&
      properties?.query !== undefined
    );
  });
  if (!match) {
    throw new OsirisError(
      ErrorCodes.COMPONENT_UNKNOWN,
      `No component can run a query on a ${family} connection.`,
      {
        hint: 'ask in plain words instead, and the agent will pick a suitable pipeline',
      },
    );
  }
  return match.spec.name;
}

/** `sql-movies` from `SELECT … FROM movies …`: a pipeline name that says where the data comes from. */
export function pipelineNameForSql(sql: string): string {
  const table = /\bfrom\s+[`"[]?([A-Za-z_][A-Za-z0-9_]*)/i.exec(sql)?.[1];
  const base = table ? `sql-${table}` : 'sql-query';
  return base.toLowerCase().replace(/_/g, '-');
}

/** The default output of SQL mode: a CSV file under output/ named after the pipeline. */
export function defaultSqlOutput(name: string): string {
  return `output/${name}.csv`;
}

/**
 * The OML of SQL mode: the query on its connection, written to `output` (default
 * output/<name>.csv); the file's extension picks the writer (.csv, .parquet, .json, .jsonl).
 */
export function sqlPipelineOml(options: {
  name: string;
  component: string;
  connection: string;
  sql: string;
  output?: string;
}): string {
  const output = options.output ?? defaultSqlOutput(options.name);
  const writer = sqlOutputWriter(output);
  const query = options.sql
    .split('\n')
    .map((line) => `        ${line.trimEnd()}`)
    .join('\n');
  return `oml_version: "0.1.0"
name: ${options.name}
description: Built in osiris chat from the user's SQL on ${options.connection}.
steps:
  - id: extract
    component: ${options.component}
    mode: read
    config:
      connection: "${options.connection}"
      query: |
${query}
  - id: write-${writer.component.endsWith('csv_writer') ? 'csv' : writer.component.endsWith('parquet_writer') ? 'parquet' : 'json'}
    component: ${writer.component}
    mode: write
    needs: [extract]
    config:
      path: ${JSON.stringify(output)}
${writer.extra}`;
}
