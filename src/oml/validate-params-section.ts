import type { OmlDocument, OmlParamDefinition } from '../spec/oml.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { isParamType, PARAM_NAME_PATTERN, PARAM_TYPES } from './param-types.js';
import { describeType, isRecord, quoteList } from './values.js';

const DEFINITION_KEYS = ['type', 'default', 'description', 'enum'];

/**
 * `params:` maps names to definitions `{ type?, default?, description?, enum? }`. A scalar is
 * accepted as shorthand for `{ default: <scalar> }`, which is how people (and LLMs) often write it.
 */
export function validateParamDefinitions(
  raw: unknown,
  collector: DiagnosticCollector,
): Record<string, OmlParamDefinition> {
  const definitions: Record<string, OmlParamDefinition> = {};
  if (raw === undefined) return definitions;
  if (!isRecord(raw)) {
    collector.error(
      OmlCodes.FIELD_TYPE,
      ['params'],
      `\`params\` must be a mapping, got ${describeType(raw)}`,
      {
        hint: 'e.g. params: { limit: { type: int, default: 100 } }',
      },
    );
    return definitions;
  }
  for (const [name, definition] of Object.entries(raw)) {
    const path = ['params', name];
    if (!PARAM_NAME_PATTERN.test(name)) {
      collector.error(
        OmlCodes.PARAM_DEFINITION_INVALID,
        path,
        `param name \`${name}\` is not an identifier`,
        {
          at: 'key',
          hint: 'use letters, digits and `_`, starting with a letter',
        },
      );
      continue;
    }
    if (definition === null || ['string', 'number', 'boolean'].includes(typeof definition)) {
      definitions[name] = definition === null ? {} : { default: definition };
      continue;
    }
    if (!isRecord(definition)) {
      collector.error(
        OmlCodes.PARAM_DEFINITION_INVALID,
        path,
        `param \`${name}\` must be a mapping, got ${describeType(definition)}`,
        {
          hint: `e.g. ${name}: { type: string, default: "x", description: "..." }`,
        },
      );
      continue;
    }
    let valid = true;
    for (const key of Object.keys(definition)) {
      if (DEFINITION_KEYS.includes(key)) continue;
      valid = false;
      collector.error(
        OmlCodes.PARAM_DEFINITION_INVALID,
        [...path, key],
        `unknown key \`${key}\` in param \`${name}\``,
        {
          at: 'key',
          hint: `a param definition has ${quoteList(DEFINITION_KEYS)}`,
        },
      );
    }
    if ('type' in definition && !isParamType(definition.type)) {
      valid = false;
      collector.error(
        OmlCodes.PARAM_DEFINITION_INVALID,
        [...path, 'type'],
        `param \`${name}\` has unknown type ${JSON.stringify(definition.type)}`,
        {
          hint: `types: ${PARAM_TYPES.join(', ')}`,
        },
      );
    }
    if ('description' in definition && typeof definition.description !== 'string') {
      valid = false;
      collector.error(
        OmlCodes.PARAM_DEFINITION_INVALID,
        [...path, 'description'],
        `param \`${name}\`: description must be a string`,
        {
          hint: 'quote the text',
        },
      );
    }
    if ('enum' in definition && (!Array.isArray(definition.enum) || definition.enum.length === 0)) {
      valid = false;
      collector.error(
        OmlCodes.PARAM_DEFINITION_INVALID,
        [...path, 'enum'],
        `param \`${name}\`: enum must be a non-empty list`,
        {
          hint: 'e.g. enum: [dev, prod]',
        },
      );
    }
    if (valid) definitions[name] = definition as OmlParamDefinition;
  }
  return definitions;
}

export function validateProfiles(
  raw: unknown,
  collector: DiagnosticCollector,
): NonNullable<OmlDocument['profiles']> {
  const profiles: NonNullable<OmlDocument['profiles']> = {};
  if (raw === undefined) return profiles;
  if (!isRecord(raw)) {
    collector.error(
      OmlCodes.PROFILE_INVALID,
      ['profiles'],
      `\`profiles\` must be a mapping, got ${describeType(raw)}`,
      {
        hint: 'e.g. profiles: { prod: { params: { limit: 100000 } } }',
      },
    );
    return profiles;
  }
  for (const [name, profile] of Object.entries(raw)) {
    if (!isRecord(profile)) {
      collector.error(
        OmlCodes.PROFILE_INVALID,
        ['profiles', name],
        `profile \`${name}\` must be a mapping, got ${describeType(profile)}`,
        {
          hint: `e.g. ${name}: { params: { limit: 10 } }`,
        },
      );
      continue;
    }
    if ('params' in profile && !isRecord(profile.params)) {
      collector.error(
        OmlCodes.PROFILE_INVALID,
        ['profiles', name, 'params'],
        `\`params\` of profile \`${name}\` must be a mapping, got ${describeType(profile.params)}`,
        {
          hint: 'map param names to values',
        },
      );
      continue;
    }
    profiles[name] = profile as { params?: Record<string, unknown> };
  }
  return profiles;
}

/** A profile that sets a parameter nobody declares or uses is most likely a typo. */
export function checkProfileParams(
  profiles: NonNullable<OmlDocument['profiles']>,
  known: ReadonlySet<string>,
  collector: DiagnosticCollector,
): void {
  for (const [profileName, profile] of Object.entries(profiles)) {
    for (const name of Object.keys(profile.params ?? {})) {
      if (known.has(name)) continue;
      collector.warning(
        OmlCodes.PROFILE_PARAM_UNDECLARED,
        ['profiles', profileName, 'params', name],
        `profile \`${profileName}\` sets param \`${name}\`, which the pipeline neither declares nor uses`,
        {
          at: 'key',
          hint:
            known.size > 0 ? `known params: ${quoteList([...known].sort())}` : 'declare it under `params`',
        },
      );
    }
  }
}
