import { closestMatch } from '../connections/index.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { discoverDatabase } from './discover-database.js';
import { discoveryCall, withDiscoveryConnection } from './discovery-call.js';
import type { DiscoveryKit } from './discovery-family.js';
import { DEFAULT_SAMPLE_ROWS, MAX_SAMPLE_ROWS, wholeNumberOption } from './discovery-limits.js';
import { sampleRows } from './sample-rows.js';
import { tableFilter } from './table-filter.js';
import type { QueryResult, SampleTableOptions, TableProfile } from './types.js';

/**
 * Rows of one table (10 by default; ask for 100, then 1000, when a first look is not enough).
 * `truncated` says whether the table has more rows than were returned.
 */
export async function sampleTable(kit: DiscoveryKit, options: SampleTableOptions): Promise<QueryResult> {
  const rows = wholeNumberOption('rows', options.rows, {
    value: DEFAULT_SAMPLE_ROWS,
    minimum: 1,
    maximum: MAX_SAMPLE_ROWS,
  });
  const base = {
    projectDir: options.projectDir,
    ref: options.ref,
    ...(options.env ? { env: options.env } : {}),
  };
  const signal = options.signal ? { signal: options.signal } : {};
  return discoveryCall(kit, options, async (source) => {
    const profile = await discoverDatabase(kit, { ...base, ...signal, tables: [options.table], samples: 0 });
    const table = findTable(profile.tables, options.table);
    if (!table) {
      const everything = await discoverDatabase(kit, { ...base, ...signal, samples: 0 });
      throw tableNotFound(options.table, source.ref, everything.tables);
    }
    return withDiscoveryConnection(source, signal, (connection) =>
      sampleRows(connection.session, table, rows),
    );
  });
}

function findTable(tables: readonly TableProfile[], name: string): TableProfile | undefined {
  const filter = tableFilter([name]);
  const matches = tables.filter((table) => filter.matches(table.schema, table.name));
  if (matches.length > 1) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `table ${name} exists in several schemas: ${matches.map((table) => table.schema).join(', ')}`,
      {
        hint: `name it with its schema, e.g. ${matches[0]!.schema}.${name}`,
        details: { table: name },
      },
    );
  }
  return matches[0];
}

function tableNotFound(name: string, ref: string, tables: readonly TableProfile[]): OsirisError {
  const suggestion = closestMatch(
    name,
    tables.map((table) => table.name),
  );
  return new OsirisError(ErrorCodes.USAGE, `${ref} has no table or view named ${name}`, {
    hint: suggestion ? `did you mean ${suggestion}?` : `run \`osiris discover ${ref}\` to list the tables`,
    details: { ref, table: name, ...(suggestion ? { suggestion } : {}) },
  });
}
