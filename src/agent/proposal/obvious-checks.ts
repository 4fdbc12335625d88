import { isMap, isSeq, parseDocument } from 'yaml';
import type { DiscoveredContext, DiscoveredTable } from '../session/session-types.js';

/**
 * The checks any careful engineer puts on a table extract, added to a proposal from what
 * discovery found (issue 15): the primary key unique and not null, and a non-empty source. Only
 * extractors that read a discovered `table` and declare no `checks` of their own get them; the
 * rest of the text (comments, order) is kept, and a proposal without such a step is unchanged.
 */
export function withObviousChecks(oml: string, discovered: DiscoveredContext['connections']): string {
  const document = parseDocument(oml);
  if (document.errors.length > 0) return oml;
  const steps = document.get('steps');
  if (!isSeq(steps)) return oml;
  let changed = false;
  for (const step of steps.items) {
    if (!isMap(step) || step.has('checks')) continue;
    const component = step.get('component');
    const config = step.get('config');
    if (typeof component !== 'string' || !component.endsWith('.extractor') || !isMap(config)) continue;
    const table = config.get('table');
    const connection = config.get('connection');
    if (typeof table !== 'string' || typeof connection !== 'string') continue;
    const schema = config.get('schema');
    const found = findTable(
      discovered[connection]?.tables ?? [],
      table,
      typeof schema === 'string' ? schema : undefined,
    );
    if (!found) continue;
    const selected = config.get('columns');
    const columns = isSeq(selected)
      ? selected.items.map((item) => String((item as { value?: unknown }).value ?? item))
      : undefined;
    const key = found.primaryKey ?? [];
    const keyKept = key.length > 0 && (!columns || key.every((column) => columns.includes(column)));
    const checks: unknown[] = [];
    if (keyKept) {
      checks.push({ unique: key.length === 1 ? [...key] : [[...key]] });
      checks.push({ not_null: [...key] });
    }
    checks.push({ row_count: { min: 1 } });
    const node = document.createNode(checks);
    for (const item of node.items) if (isMap(item)) item.flow = true;
    step.set('checks', node);
    changed = true;
  }
  return changed ? document.toString({ lineWidth: 0 }) : oml;
}

function findTable(
  tables: readonly DiscoveredTable[],
  table: string,
  schema?: string,
): DiscoveredTable | undefined {
  const wanted = schema ? `${schema}.${table}` : table;
  return (
    tables.find((candidate) => candidate.name === wanted) ??
    tables.find((candidate) => candidate.name === table || candidate.name.endsWith(`.${table}`))
  );
}
