import type { OmlDocument, OmlParamDefinition } from '../spec/oml.js';
import { type OmlCode, OmlCodes } from './codes.js';
import { coerceParamText, effectiveParamType, matchesParamType, type ParamType } from './param-types.js';
import { quoteList } from './values.js';
import type { DocumentPath } from './yaml-source.js';

export type ParamSource = 'cli' | 'env' | 'profile' | 'default';

export interface ResolveParamsInput {
  /** `params` of the document (validated definitions). */
  definitions: Readonly<Record<string, OmlParamDefinition>>;
  profiles?: OmlDocument['profiles'];
  /** Profile selected with `--profile`. */
  profile?: string;
  /** `--param name=value` pairs, values as typed. */
  cli?: Readonly<Record<string, string>>;
  /** Environment to read `OSIRIS_PARAM_<NAME>` from. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Names used as `${params.name}` in step configs. */
  referenced?: Iterable<string>;
}

export interface ParamProblem {
  code: OmlCode;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  /** Where in the document the problem is best shown. */
  path: DocumentPath;
  /** Show it at the key of `path` (the param's name) rather than at its value. */
  atKey?: boolean;
}

export interface ResolvedParams {
  /** Every declared or referenced parameter that has a value, by name (sorted). */
  values: Record<string, unknown>;
  sources: Record<string, ParamSource>;
  problems: ParamProblem[];
  /** Parameters whose value was rejected (wrong type, not in enum); their problem is in `problems`. */
  rejected: string[];
}

export function paramEnvName(name: string): string {
  return `OSIRIS_PARAM_${name.toUpperCase()}`;
}

/**
 * Resolve parameter values by precedence: `--param` > `OSIRIS_PARAM_<NAME>` > the selected
 * profile's `params` > the declared `default`. Text from the command line and the environment
 * is converted to the parameter's type (declared, else that of its default).
 */
export function resolveParams(input: ResolveParamsInput): ResolvedParams {
  const problems: ParamProblem[] = [];
  const referenced = new Set(input.referenced ?? []);
  const profileParams = selectedProfileParams(input, problems);
  const cli = input.cli ?? {};
  const env = input.env ?? {};

  for (const name of Object.keys(cli).sort()) {
    if (!Object.hasOwn(input.definitions, name) && !referenced.has(name)) {
      problems.push({
        code: OmlCodes.PARAM_UNUSED,
        severity: 'warning',
        message: `--param ${name} is given but the pipeline neither declares nor uses it`,
        hint: declaredHint(input.definitions),
        path: ['params'],
      });
    }
  }

  const names = new Set([...Object.keys(input.definitions), ...referenced]);
  const values: Record<string, unknown> = {};
  const sources: Record<string, ParamSource> = {};
  const rejected: string[] = [];
  for (const name of [...names].sort()) {
    const definition = input.definitions[name] ?? {};
    const type = effectiveParamType(definition);
    const declaredPath: DocumentPath = Object.hasOwn(input.definitions, name) ? ['params', name] : [];
    const candidate = firstValue(name, { cli, env, profileParams, definition, profile: input.profile });
    if (candidate === undefined) continue;
    let value = candidate.value;
    if (typeof value === 'string' && (candidate.source === 'cli' || candidate.source === 'env')) {
      const coerced = coerceParamText(value, type);
      if (!coerced) {
        problems.push({
          ...mismatch(name, `${candidate.label} "${value}"`, type, declaredPath),
          atKey: true,
        });
        rejected.push(name);
        continue;
      }
      value = coerced.value;
    } else if (!matchesParamType(value, type)) {
      problems.push(
        mismatch(name, `${candidate.label} ${JSON.stringify(value)}`, type, candidate.path ?? declaredPath),
      );
      rejected.push(name);
      continue;
    }
    const allowed = (definition as { enum?: unknown }).enum;
    if (Array.isArray(allowed) && !allowed.some((item) => item === value)) {
      problems.push({
        code: OmlCodes.PARAM_TYPE_MISMATCH,
        severity: 'error',
        message: `param \`${name}\`: ${candidate.label} ${JSON.stringify(value)} is not one of the allowed values`,
        hint: `allowed: ${allowed.map((item) => JSON.stringify(item)).join(', ')}`,
        path: candidate.path ?? declaredPath,
        ...(candidate.path === undefined ? { atKey: true } : {}),
      });
      rejected.push(name);
      continue;
    }
    values[name] = value;
    sources[name] = candidate.source;
  }
  return { values, sources, problems, rejected };
}

interface Candidate {
  value: unknown;
  source: ParamSource;
  label: string;
  path?: DocumentPath;
}

function firstValue(
  name: string,
  from: {
    cli: Readonly<Record<string, string>>;
    env: Readonly<Record<string, string | undefined>>;
    profileParams: Readonly<Record<string, unknown>>;
    definition: OmlParamDefinition;
    profile: string | undefined;
  },
): Candidate | undefined {
  if (Object.hasOwn(from.cli, name)) return { value: from.cli[name], source: 'cli', label: `--param value` };
  const envValue = from.env[paramEnvName(name)];
  if (envValue !== undefined) return { value: envValue, source: 'env', label: `${paramEnvName(name)} value` };
  const profileValue = from.profileParams[name];
  if (profileValue !== undefined && profileValue !== null) {
    return {
      value: profileValue,
      source: 'profile',
      label: `profile ${from.profile} value`,
      path: ['profiles', from.profile ?? '', 'params', name],
    };
  }
  const fallback = from.definition.default;
  if (fallback !== undefined && fallback !== null) {
    return { value: fallback, source: 'default', label: 'default', path: ['params', name, 'default'] };
  }
  return undefined;
}

function selectedProfileParams(input: ResolveParamsInput, problems: ParamProblem[]): Record<string, unknown> {
  if (input.profile === undefined) return {};
  const profiles = input.profiles ?? {};
  const profile = profiles[input.profile];
  if (profile === undefined) {
    const names = Object.keys(profiles).sort();
    problems.push({
      code: OmlCodes.PROFILE_UNKNOWN,
      severity: 'error',
      message: `profile \`${input.profile}\` is not defined in \`profiles\``,
      hint: names.length > 0 ? `defined profiles: ${quoteList(names)}` : 'the pipeline defines no profiles',
      path: input.profiles ? ['profiles'] : [],
    });
    return {};
  }
  return profile.params ?? {};
}

function mismatch(name: string, what: string, type: ParamType | undefined, path: DocumentPath): ParamProblem {
  return {
    code: OmlCodes.PARAM_TYPE_MISMATCH,
    severity: 'error',
    message: `param \`${name}\`: ${what} is not a${type === 'int' || type === 'integer' ? 'n' : ''} ${type}`,
    hint: `give a value of type ${type}`,
    path,
  };
}

function declaredHint(definitions: Readonly<Record<string, OmlParamDefinition>>): string {
  const names = Object.keys(definitions).sort();
  return names.length > 0 ? `declared params: ${quoteList(names)}` : 'the pipeline declares no params';
}
