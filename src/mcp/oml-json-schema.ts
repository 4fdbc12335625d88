import { PARAM_NAME_PATTERN, PARAM_TYPES } from '../oml/param-types.js';
import { IDENTIFIER_PATTERN } from '../oml/values.js';
import type { Registry } from '../registry/registry.js';
import type { SpecMode } from '../spec/component.js';
import { OML_VERSION } from '../spec/oml.js';

const OML_MODE_OF: Partial<Record<SpecMode, string>> = {
  extract: 'read',
  write: 'write',
  transform: 'transform',
};

/**
 * A JSON Schema (draft 2020-12) of OML v0.1.0 for this registry: the document shape, and for each
 * component the modes it accepts and its config schema. It describes configs after `${params.x}`
 * substitution and cannot see connections or dependencies: `oml_validate` remains the authority.
 */
export function omlJsonSchema(registry: Registry): Record<string, unknown> {
  const specs = registry.list().map((definition) => definition.spec);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:osiris:oml:${OML_VERSION}`,
    title: `OML v${OML_VERSION} pipeline`,
    description:
      'An Osiris pipeline. Steps read (extract), transform or write data; connections are referenced as ' +
      '"@family.alias" and never hold secrets in the pipeline.',
    type: 'object',
    required: ['oml_version', 'name', 'steps'],
    properties: {
      oml_version: { type: 'string', const: OML_VERSION, description: 'always the quoted string "0.1.0"' },
      name: {
        type: 'string',
        pattern: IDENTIFIER_PATTERN.source,
        description: 'kebab-case or snake_case; the pipeline is saved as pipelines/<name>.yaml',
      },
      description: { type: 'string' },
      params: {
        type: 'object',
        description: 'parameters used as ${params.<name>} in step configs, resolved at compile time',
        propertyNames: { pattern: PARAM_NAME_PATTERN.source },
        additionalProperties: {
          anyOf: [
            {
              type: ['string', 'number', 'boolean', 'null'],
              description: 'shorthand for { default: <value> }',
            },
            { $ref: '#/$defs/param' },
          ],
        },
      },
      profiles: {
        type: 'object',
        description: 'named sets of parameter values, chosen with --profile',
        additionalProperties: { type: 'object', properties: { params: { type: 'object' } } },
      },
      metadata: { type: 'object', description: 'free-form data about the pipeline (owner, tags...)' },
      on_failure: {
        enum: ['commit_each', 'rollback_all'],
        description:
          'commit_each (default): each writer commits when done; rollback_all: writers commit together once every step succeeded, or none does',
      },
      steps: { type: 'array', minItems: 1, items: { $ref: '#/$defs/step' } },
    },
    patternProperties: { '^x-': { description: 'extensions, kept verbatim' } },
    additionalProperties: false,
    $defs: {
      param: {
        type: 'object',
        properties: {
          type: { enum: [...PARAM_TYPES] },
          default: {},
          description: { type: 'string' },
          enum: { type: 'array' },
        },
        additionalProperties: false,
      },
      step: {
        type: 'object',
        required: ['id', 'component', 'mode', 'config'],
        properties: {
          id: {
            type: 'string',
            pattern: IDENTIFIER_PATTERN.source,
            description:
              'unique; in duckdb.processor SQL the step is the table df_<id> with "-" and "." as "_"',
          },
          component: { enum: specs.map((spec) => spec.name) },
          mode: { enum: ['read', 'write', 'transform'] },
          config: { type: 'object' },
          needs: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: 'ids of the steps this one reads; without needs anywhere, steps chain in order',
          },
          inputs: {
            type: 'object',
            description: 'upstream form { df: "${step-id.df}" }, converted to needs; prefer needs',
          },
          checks: {
            type: 'array',
            description:
              'data checks on the step output, run before anything that depends on it: each item has one of ' +
              'row_count, not_null, unique, accepted_values, range, freshness, relationship, sql, plus optional ' +
              'name and severity (error | warn)',
            items: { type: 'object', minProperties: 1 },
          },
        },
        additionalProperties: false,
        allOf: specs.map((spec) => ({
          if: { properties: { component: { const: spec.name } }, required: ['component'] },
          // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's conditional keyword.
          then: {
            properties: {
              mode: { enum: spec.modes.flatMap((mode) => OML_MODE_OF[mode] ?? []) },
              config: { $ref: `#/$defs/config/${spec.name}` },
            },
          },
        })),
      },
      config: Object.fromEntries(specs.map((spec) => [spec.name, embeddable(spec.configSchema)])),
    },
  };
}

/** A spec's config schema without the keys that only make sense at a document's root. */
function embeddable(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}
