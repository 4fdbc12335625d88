import type { ComponentSpec, ConnectionFieldOverride } from '../spec/component.js';

/** One config key of a component, as `components show` and LLM context present it. */
export interface ConfigFieldDescription {
  name: string;
  /** Readable type, e.g. `string`, `integer`, `string[]`, `append|replace|upsert`, `string | string[]`. */
  type: string;
  required: boolean;
  /** Set when the key is one of several alternatives of which exactly one is required. */
  alternativeTo?: string[];
  default?: unknown;
  description: string;
  /** The key holds a secret (its pointer is in the spec's `secrets`). */
  secret: boolean;
  /** Policy when the key overrides a connection field. */
  connectionOverride?: ConnectionFieldOverride;
}

/** The config keys of a spec in declaration order, with everything a reader needs to fill them. */
export function describeConfigFields(spec: ComponentSpec): ConfigFieldDescription[] {
  const schema = spec.configSchema;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const groups = requiredAlternatives(schema);
  const secrets = new Set(spec.secrets);
  const policies = new Map(
    (spec['x-connection-fields'] ?? []).map((policy) => [policy.name, policy.override]),
  );

  return Object.entries(properties).map(([name, raw]) => {
    const property = isRecord(raw) ? raw : {};
    const group = groups.find((names) => names.includes(name));
    const policy = policies.get(name);
    return {
      name,
      type: describeType(property),
      required: required.has(name),
      ...(group ? { alternativeTo: group.filter((other) => other !== name) } : {}),
      ...(Object.hasOwn(property, 'default') ? { default: property.default } : {}),
      description: typeof property.description === 'string' ? property.description : '',
      secret: secrets.has(`/${name}`),
      ...(policy ? { connectionOverride: policy } : {}),
    };
  });
}

/**
 * Groups of keys of which one is required, read from `oneOf`/`anyOf` branches that each only
 * require keys (`oneOf: [{required: [query]}, {required: [table]}]`), also inside `allOf`.
 */
export function requiredAlternatives(schema: Record<string, unknown>): string[][] {
  const groups: string[][] = [];
  const visit = (node: Record<string, unknown>): void => {
    for (const keyword of ['oneOf', 'anyOf']) {
      const branches = node[keyword];
      if (!Array.isArray(branches)) continue;
      const names = branches.flatMap((branch) =>
        isRecord(branch) && Array.isArray(branch.required) ? branch.required.map(String) : [],
      );
      if (names.length > 1) groups.push([...new Set(names)]);
    }
    if (Array.isArray(node.allOf)) for (const part of node.allOf) if (isRecord(part)) visit(part);
  };
  visit(schema);
  return groups;
}

function describeType(property: Record<string, unknown>): string {
  if (Array.isArray(property.enum)) return property.enum.map(String).join('|');
  const alternatives = property.oneOf ?? property.anyOf;
  if (Array.isArray(alternatives)) {
    return alternatives.map((branch) => (isRecord(branch) ? describeType(branch) : 'any')).join(' | ');
  }
  const type = property.type;
  if (type === 'array') {
    return isRecord(property.items) ? `${describeType(property.items)}[]` : 'array';
  }
  if (type === 'object' && isRecord(property.additionalProperties)) {
    return `map<string, ${describeType(property.additionalProperties)}>`;
  }
  if (Array.isArray(type)) return type.map(String).join(' | ');
  return typeof type === 'string' ? type : 'any';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
