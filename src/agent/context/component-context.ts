import { describeConfigFields } from '../../registry/config-fields.js';
import type { Registry } from '../../registry/registry.js';
import type { ComponentSpec, OmlMode, SpecMode } from '../../spec/component.js';

/** What the model is told about one component: enough to write a valid step, nothing secret. */
export interface ComponentContext {
  name: string;
  title: string;
  /** OML modes the component accepts (`read`, `write`, `transform`). */
  modes: OmlMode[];
  /** Connection families for `config.connection`, e.g. `mysql`. */
  connectionFamilies: string[];
  connectionRequired: boolean;
  /** Required keys; `a|b` when exactly one of several is required. */
  required: string[];
  /** Other keys, with their defaults where they have one (`delimiter=,`). */
  optional: string[];
  guidance: string;
  patterns: string[];
  /** The first example's config. */
  example?: Record<string, unknown>;
}

const SPEC_TO_OML_MODE: Partial<Record<SpecMode, OmlMode>> = {
  extract: 'read',
  write: 'write',
  transform: 'transform',
};

export function buildComponentContext(registry: Registry): ComponentContext[] {
  return registry.list().map(({ spec }) => componentContext(spec));
}

export function componentContext(spec: ComponentSpec): ComponentContext {
  const fields = describeConfigFields(spec).filter((field) => !field.secret);
  const required: string[] = [];
  const seenAlternatives = new Set<string>();
  for (const field of fields) {
    if (field.required) required.push(field.name);
    else if (field.alternativeTo && !seenAlternatives.has(field.name)) {
      const group = [field.name, ...field.alternativeTo];
      for (const name of group) seenAlternatives.add(name);
      required.push(group.join('|'));
    }
  }
  const optional = fields
    .filter((field) => !field.required && !seenAlternatives.has(field.name))
    .map((field) =>
      field.default === undefined ? field.name : `${field.name}=${formatDefault(field.default)}`,
    );
  const example = spec.examples[0]?.config;
  return {
    name: spec.name,
    title: spec.title,
    modes: spec.modes.flatMap((mode) => SPEC_TO_OML_MODE[mode] ?? []),
    connectionFamilies: [...(spec.connection?.families ?? [])],
    connectionRequired: spec.connection?.required ?? false,
    required,
    optional,
    guidance: spec.llmHints.promptGuidance,
    patterns: [...(spec.llmHints.commonPatterns ?? [])],
    ...(example ? { example: withoutSecrets(example, spec) } : {}),
  };
}

/** The compact text block the system prompt carries: one paragraph per component. */
export function formatComponentContext(entries: readonly ComponentContext[]): string {
  return entries
    .map((entry) => {
      const lines = [
        `### ${entry.name} (mode: ${entry.modes.join('|')}) — ${entry.title}`,
        `required: ${entry.required.length > 0 ? entry.required.join(', ') : 'none'}` +
          (entry.connectionFamilies.length > 0
            ? `; connection: "@${entry.connectionFamilies.join('|@')}.<alias>"${entry.connectionRequired ? '' : ' (optional)'}`
            : ''),
        ...(entry.optional.length > 0 ? [`optional: ${entry.optional.join(', ')}`] : []),
        entry.guidance,
        ...(entry.example ? [`example config: ${JSON.stringify(entry.example)}`] : []),
      ];
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Everything about one component for `list_components` with a name: fields, examples, hints. */
export function componentDetails(spec: ComponentSpec): Record<string, unknown> {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    modes: spec.modes.flatMap((mode) => SPEC_TO_OML_MODE[mode] ?? []),
    connection: spec.connection ?? null,
    fields: describeConfigFields(spec)
      .filter((field) => !field.secret)
      .map((field) => ({
        name: field.name,
        type: field.type,
        required: field.required,
        ...(field.alternativeTo ? { one_of_with: field.alternativeTo } : {}),
        ...(field.default === undefined ? {} : { default: field.default }),
        description: field.description,
      })),
    guidance: spec.llmHints.promptGuidance,
    patterns: spec.llmHints.commonPatterns ?? [],
    examples: spec.examples.map((example) => ({
      title: example.title,
      config: withoutSecrets(example.config, spec),
      ...(example.oml ? { oml: example.oml } : {}),
    })),
  };
}

function withoutSecrets(config: Record<string, unknown>, spec: ComponentSpec): Record<string, unknown> {
  const secret = new Set(spec.secrets.map((pointer) => pointer.replace(/^\//, '')));
  return Object.fromEntries(Object.entries(config).filter(([key]) => !secret.has(key)));
}

function formatDefault(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
