import type { ComponentOrigin, ComponentSpec } from '../spec/component.js';
import { describeConfigFields } from './config-fields.js';

/**
 * Plain-text views of specs for terminals and LLM context. No colours: the CLI prints them as
 * they are and the agent can paste them into a prompt.
 */
export function formatComponentTable(
  specs: readonly ComponentSpec[],
  origins: ReadonlyMap<string, ComponentOrigin> = new Map(),
): string {
  // An ORIGIN column only when the project brings components of its own.
  if (!specs.some((spec) => origins.has(spec.name))) {
    return alignColumns([
      ['NAME', 'MODES', 'TITLE'],
      ...specs.map((spec) => [spec.name, spec.modes.join(', '), spec.title]),
    ]);
  }
  return alignColumns([
    ['NAME', 'MODES', 'ORIGIN', 'TITLE'],
    ...specs.map((spec) => [
      spec.name,
      spec.modes.join(', '),
      originText(origins.get(spec.name)),
      spec.title,
    ]),
  ]);
}

/** `built-in`, or the project folder a component comes from. */
export function originText(origin: ComponentOrigin | undefined): string {
  return origin ? `project (${origin.specFile.replace(/\/spec\.yaml$/, '/')})` : 'built-in';
}

const OVERRIDE_MEANING = {
  allowed: 'a step may override the connection value',
  warning: 'a step may override it, with a warning',
  forbidden: 'always taken from the connection; a step may not set it',
} as const;

export function formatComponentDetails(spec: ComponentSpec, origin?: ComponentOrigin): string {
  const lines: string[] = [`${spec.name} ${spec.version}: ${spec.title}`, '', spec.description, ''];
  const capabilities = Object.entries(spec.capabilities)
    .filter(([, enabled]) => enabled === true)
    .map(([capability]) => capability);
  lines.push(`Modes:        ${spec.modes.join(', ')}`);
  lines.push(`Origin:       ${originText(origin)}`);
  if (origin) lines.push(`Driver:       ${origin.driverFile} (driver API version ${spec.api_version})`);
  if (spec.connection) {
    const references = spec.connection.families.map((family) => `@${family}.<alias>`).join(' or ');
    lines.push(`Connection:   ${references} (${spec.connection.required ? 'required' : 'optional'})`);
  }
  if (capabilities.length > 0) lines.push(`Capabilities: ${capabilities.join(', ')}`);

  lines.push('', 'Config:');
  const rows = describeConfigFields(spec).map((field) => [
    field.name,
    field.secret ? `${field.type} (secret)` : field.type,
    field.required
      ? 'yes'
      : field.alternativeTo
        ? `one of: ${[field.name, ...field.alternativeTo].join(', ')}`
        : 'no',
    field.default === undefined ? '' : JSON.stringify(field.default),
    field.description,
  ]);
  lines.push(indent(alignColumns([['NAME', 'TYPE', 'REQUIRED', 'DEFAULT', 'DESCRIPTION'], ...rows])));

  if (spec.secrets.length > 0) {
    lines.push(
      '',
      `Secrets (masked in every output; keep them in the connection): ${spec.secrets.join(', ')}`,
    );
  }
  const policies = spec['x-connection-fields'] ?? [];
  if (policies.length > 0) {
    lines.push('', 'Connection fields:');
    lines.push(
      indent(
        alignColumns(
          policies.map((policy) => [policy.name, policy.override, OVERRIDE_MEANING[policy.override]]),
        ),
      ),
    );
  }
  const example = spec.examples[0];
  if (example) {
    lines.push('', `Example: ${example.title}`);
    lines.push(indent(example.oml?.trimEnd() ?? JSON.stringify(example.config, null, 2)));
    if (example.notes) lines.push(`  ${example.notes}`);
  }
  return lines.join('\n');
}

/** Left-aligned columns separated by two spaces; the last column is never padded. */
function alignColumns(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? `  ${line}` : line))
    .join('\n');
}
