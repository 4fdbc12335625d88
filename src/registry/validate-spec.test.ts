import { describe, expect, it } from 'vitest';
import { builtinSpecs, createDefaultRegistry } from '../composition/builtins.js';
import { composeFamilies } from '../composition/compose-families.js';
import type { ComponentSpec } from '../spec/component.js';
import { isOsirisError } from '../spec/errors.js';
import { buildRegistry } from './build-registry.js';
import { validateSpec } from './validate-spec.js';

const base = builtinSpecs.find((spec) => spec.name === 'mysql.extractor')!;

/** A deep copy of a valid spec with `change` applied, so each case breaks exactly one thing. */
function broken(change: (spec: Record<string, unknown>) => void): ComponentSpec {
  const copy = structuredClone(base) as unknown as Record<string, unknown>;
  change(copy);
  return copy as unknown as ComponentSpec;
}

function expectOneProblem(spec: unknown, path: string, text: RegExp): void {
  const diagnostics = validateSpec(spec);
  expect(diagnostics.map((d) => d.path)).toEqual([path]);
  expect(diagnostics[0]!.code).toBe('E_SPEC_INVALID');
  expect(diagnostics[0]!.severity).toBe('error');
  expect(diagnostics[0]!.message).toMatch(text);
}

describe('validateSpec', () => {
  it.each(builtinSpecs.map((spec) => [spec.name, spec] as const))(
    'accepts the built-in spec %s',
    (_name, spec) => {
      expect(validateSpec(spec)).toEqual([]);
    },
  );

  it('rejects a spec without llmHints', () => {
    expectOneProblem(
      broken((spec) => {
        delete spec.llmHints;
      }),
      '/llmHints',
      /component mysql\.extractor: \/llmHints is missing/,
    );
  });

  it('rejects llmHints without promptGuidance, with a hint', () => {
    const spec = broken((copy) => {
      copy.llmHints = { commonPatterns: ['x'] };
    });
    expectOneProblem(spec, '/llmHints/promptGuidance', /is missing/);
    expect(validateSpec(spec)[0]!.hint).toMatch(/when and how to use/);
  });

  it('rejects a version that is not semver, quoting the value', () => {
    const spec = broken((copy) => {
      copy.version = '1.0';
    });
    expectOneProblem(spec, '/version', /\/version is "1\.0", which is not valid/);
    expect(validateSpec(spec)[0]!.hint).toMatch(/1\.0\.0/);
  });

  it('accepts semver with pre-release and build metadata', () => {
    const spec = broken((copy) => {
      copy.version = '2.1.0-beta.1+build.7';
    });
    expect(validateSpec(spec)).toEqual([]);
  });

  it('rejects a configSchema that allows unknown keys', () => {
    const spec = broken((copy) => {
      (copy.configSchema as Record<string, unknown>).additionalProperties = true;
    });
    expectOneProblem(spec, '/configSchema/additionalProperties', /must be false/);
    expect(validateSpec(spec)[0]!.hint).toMatch(/additionalProperties: false/);
  });

  it('rejects a configSchema that does not say additionalProperties at all', () => {
    expectOneProblem(
      broken((copy) => {
        delete (copy.configSchema as Record<string, unknown>).additionalProperties;
      }),
      '/configSchema/additionalProperties',
      /is missing/,
    );
  });

  it('rejects bad names, modes and secrets', () => {
    const diagnostics = validateSpec(
      broken((copy) => {
        copy.name = 'MySQL-Extractor';
        copy.modes = ['read'];
        copy.secrets = ['password'];
      }),
    );
    expect(diagnostics.map((d) => d.path).sort()).toEqual(['/modes/0', '/name', '/secrets/0']);
    expect(diagnostics.find((d) => d.path === '/modes/0')!.message).toMatch(
      /must be one of: "extract", "write", "transform", "discover"/,
    );
  });

  it('rejects an empty examples list and unknown top-level fields', () => {
    const diagnostics = validateSpec(
      broken((copy) => {
        copy.examples = [];
        copy.driver = './driver.js';
      }),
    );
    expect(diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['/driver', 'component mysql.extractor: /driver is not a spec field'],
      ['/examples', 'component mysql.extractor: /examples must NOT have fewer than 1 items'],
    ]);
  });

  it('rejects a config property without a description', () => {
    expectOneProblem(
      broken((copy) => {
        const properties = (copy.configSchema as { properties: Record<string, Record<string, unknown>> })
          .properties;
        delete properties.limit!.description;
      }),
      '/configSchema/properties/limit/description',
      /is missing/,
    );
  });

  it('rejects a configSchema that ajv cannot compile', () => {
    expectOneProblem(
      broken((copy) => {
        const properties = (copy.configSchema as { properties: Record<string, Record<string, unknown>> })
          .properties;
        properties.limit!.type = 'integr';
      }),
      '/configSchema',
      /is not a valid JSON Schema/,
    );
  });

  it('rejects connection-field policies for keys the config cannot hold', () => {
    expectOneProblem(
      broken((copy) => {
        copy['x-connection-fields'] = [{ name: 'password', override: 'forbidden' }];
      }),
      '/x-connection-fields/0/name',
      /"password" is not a configSchema property/,
    );
  });

  it('rejects an override policy outside allowed|forbidden|warning', () => {
    expectOneProblem(
      broken((copy) => {
        copy['x-connection-fields'] = [{ name: 'host', override: 'maybe' }];
      }),
      '/x-connection-fields/0/override',
      /must be one of: "allowed", "forbidden", "warning"/,
    );
  });

  it('rejects an example whose config does not match the configSchema', () => {
    expectOneProblem(
      broken((copy) => {
        copy.examples = [{ title: 'both', config: { connection: '@mysql.db', table: 't', limit: -1 } }];
      }),
      '/examples/0/config/limit',
      /does not match the configSchema: must be >= 0/,
    );
  });

  it('reports a spec that is not an object', () => {
    expect(validateSpec('mysql.extractor')[0]!.message).toMatch(/component <unnamed>: \/ must be object/);
  });
});

describe('buildRegistry', () => {
  it('throws E_SPEC_INVALID naming the component and the path of the first problem', () => {
    const spec = broken((copy) => {
      copy.version = 'one';
      delete copy.llmHints;
    });
    let thrown: unknown;
    try {
      buildRegistry([{ spec }]);
    } catch (error) {
      thrown = error;
    }
    expect(isOsirisError(thrown)).toBe(true);
    const error = thrown as import('../spec/errors.js').OsirisError;
    expect(error.code).toBe('E_SPEC_INVALID');
    expect(error.message).toMatch(
      /^component mysql\.extractor: \/llmHints is missing \(and 1 more problems\)$/,
    );
    expect(error.details.component).toBe('mysql.extractor');
    expect(error.details.path).toBe('/llmHints');
    expect(error.details.problems).toHaveLength(2);
  });

  it('refuses two components with the same name', () => {
    expect(() => buildRegistry([{ spec: base }, { spec: structuredClone(base) }])).toThrow(
      /mysql\.extractor is defined twice/,
    );
  });
});

describe('createDefaultRegistry', () => {
  it('holds every built-in component, sorted, and is built once per process', () => {
    const registry = createDefaultRegistry();
    expect(registry.names()).toEqual(builtinSpecs.map((spec) => spec.name).sort());
    expect(registry.names()).toEqual([
      'duckdb.extractor',
      'duckdb.processor',
      'filesystem.csv_extractor',
      'filesystem.csv_writer',
      'filesystem.json_writer',
      'filesystem.parquet_writer',
      'graphql.extractor',
      'mysql.extractor',
      'mysql.writer',
      'postgres.extractor',
      'postgres.writer',
      'posthog.extractor',
      'rest.extractor',
      'sqlite.extractor',
      'supabase.extractor',
      'supabase.writer',
    ]);
    expect(createDefaultRegistry()).toBe(registry);
  });
});

describe('composeFamilies', () => {
  it('checks the specs of a family list, unless their own tests do (the shipped ones)', () => {
    const broken = { ...base, name: 'acme.extractor', version: 'one' };
    const families = [{ name: 'acme', components: [{ spec: broken }] }];
    expect(() => composeFamilies(families).registry()).toThrow(/version/);
    expect(composeFamilies(families, { specsChecked: true }).registry().names()).toEqual(['acme.extractor']);
  });
});
