import type { DatabaseProfile, TableProfile } from '../types.js';
import { cellText, rowsTable, textTable } from './text-table.js';

/** A database profile for a terminal: per table its columns with key markers, keys, indexes and sample rows. */
export function formatProfile(profile: DatabaseProfile, now = Date.now()): string {
  const lines: string[] = [];
  const qualify = profile.schemas.length > 1;
  const label = (schema: string | undefined, table: string) =>
    qualify && schema ? `${schema}.${table}` : table;
  const header = [
    profile.connection,
    profile.family,
    profile.server_version,
    profile.schemas.length > 0
      ? `${profile.schemas.length > 1 ? 'schemas' : 'schema'} ${profile.schemas.join(', ')}`
      : undefined,
    `${profile.tables.length} ${profile.tables.length === 1 ? 'table' : 'tables'}`,
  ];
  lines.push(header.filter(Boolean).join(' · '));
  lines.push(cacheLine(profile, now));

  for (const table of profile.tables) {
    lines.push('', tableHeading(table, label(table.schema, table.name)));
    if (table.error) lines.push(`  error [${table.error.code}]: ${table.error.message}`);
    if (table.columns.length > 0) lines.push(...columnsTable(table, label));
    const foreignKeys = table.foreign_keys.map(
      (key) =>
        `${key.columns.join(', ')} → ${label(key.references.schema, key.references.table)}(${key.references.columns.join(', ')})`,
    );
    if (foreignKeys.length > 0) lines.push(`  foreign keys: ${foreignKeys.join('; ')}`);
    const referencedBy = referencesTo(table, profile).map(
      ({ owner, columns }) => `${label(owner.schema, owner.name)}(${columns.join(', ')})`,
    );
    if (referencedBy.length > 0) lines.push(`  referenced by: ${referencedBy.join(', ')}`);
    if (table.cursor_candidates?.length)
      lines.push(`  likely incremental cursors: ${table.cursor_candidates.join(', ')}`);
    if (table.indexes.length > 0) {
      const indexes = table.indexes.map(
        (index) => `${index.name} (${index.columns.join(', ')})${index.unique ? ' unique' : ''}`,
      );
      lines.push(`  indexes: ${indexes.join('; ')}`);
    }
    if (table.sample) {
      const count = table.sample.rows.length;
      if (count === 0) lines.push('  sample: no rows');
      else {
        lines.push(`  sample (${count} ${count === 1 ? 'row' : 'rows'}):`);
        lines.push(
          ...rowsTable(
            table.sample.columns.map((column) => column.name),
            table.sample.rows,
            '    ',
          ),
        );
      }
    }
  }
  if (profile.warnings.length > 0)
    lines.push('', ...profile.warnings.map((warning) => `warning: ${warning}`));
  return `${lines.join('\n')}\n`;
}

function cacheLine(profile: DatabaseProfile, now: number): string {
  if (!profile.cached) return `discovered ${profile.discovered_at}`;
  const minutes = Math.max(0, Math.round((now - Date.parse(profile.discovered_at)) / 60_000));
  const age = minutes === 0 ? 'less than a minute ago' : `${minutes} min ago`;
  return `from the cache: discovered ${profile.discovered_at} (${age}); --refresh discovers again`;
}

function tableHeading(table: TableProfile, name: string): string {
  const estimate =
    table.estimated_rows === null ? '' : ` · ~${table.estimated_rows.toLocaleString('en-US')} rows`;
  return `${name} · ${table.kind}${estimate}`;
}

function columnsTable(
  table: TableProfile,
  label: (schema: string | undefined, table: string) => string,
): string[] {
  const withDefaults = table.columns.some((column) => column.default !== null);
  const headers = ['column', 'type', 'null', 'key', ...(withDefaults ? ['default'] : [])];
  const rows = table.columns.map((column) => {
    const keys: string[] = [];
    if (table.primary_key.includes(column.name)) keys.push('PK');
    for (const key of table.foreign_keys) {
      const position = key.columns.indexOf(column.name);
      if (position >= 0) {
        keys.push(
          `FK→${label(key.references.schema, key.references.table)}.${key.references.columns[position] ?? '?'}`,
        );
      }
    }
    return [
      column.name,
      column.type,
      column.nullable ? 'yes' : 'no',
      keys.join(' '),
      ...(withDefaults ? [column.default === null ? '' : cellText(column.default)] : []),
    ];
  });
  return textTable(headers, rows, '  ');
}

/** Foreign keys of other tables that point at `table`. */
function referencesTo(
  table: TableProfile,
  profile: DatabaseProfile,
): { owner: TableProfile; columns: string[] }[] {
  const found: { owner: TableProfile; columns: string[] }[] = [];
  for (const owner of profile.tables) {
    for (const key of owner.foreign_keys) {
      if (key.references.table === table.name && (key.references.schema ?? owner.schema) === table.schema) {
        found.push({ owner, columns: key.columns });
      }
    }
  }
  return found;
}
