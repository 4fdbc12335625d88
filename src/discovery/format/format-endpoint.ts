import type { EndpointProfile } from '../types.js';

/** The discovery as text for a terminal or an LLM prompt. */
export function formatEndpointProfile(discovery: EndpointProfile): string {
  const lines = [
    `${discovery.ref} ${discovery.url}: ${discovery.records_on_page} records on the first page (records: ${discovery.records})`,
    '',
    `Columns (as ${discovery.component} will create them):`,
  ];
  const width = Math.max(6, ...discovery.columns.map((column) => column.name.length));
  for (const column of discovery.columns) lines.push(`  ${column.name.padEnd(width)}  ${column.type}`);
  if (discovery.response_members.length > 0) {
    lines.push('', 'Other members of the response:');
    for (const member of discovery.response_members) lines.push(`  ${member.path}  ${member.type}`);
  }
  lines.push('', 'Pagination:');
  if (discovery.pagination_hints.length === 0)
    lines.push('  no sign of a next page (paginate: { type: none }, or page/offset if the API documents it)');
  for (const hint of discovery.pagination_hints) lines.push(`  ${hint}`);
  if (discovery.sample.length > 0) {
    lines.push('', 'Sample rows:');
    for (const row of discovery.sample) lines.push(`  ${JSON.stringify(row)}`);
  }
  return `${lines.join('\n')}\n`;
}
