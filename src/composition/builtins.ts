import { builtinFamilies } from '../components/index.js';
import type { Registry } from '../registry/registry.js';
import type { ComponentSpec } from '../spec/component.js';
import { composeFamilies } from './compose-families.js';

/**
 * Osiris with the families it ships. Their specs are validated by src/registry/validate-spec.test.ts
 * and builtin-examples.test.ts, not on every start.
 */
export const builtins = composeFamilies(builtinFamilies, { specsChecked: true });

/** The built-in components, validated once per process. */
export function createDefaultRegistry(): Registry {
  return builtins.registry();
}

/** The built-ins plus the project's own components; see `withProjectComponents`. */
export function createProjectRegistry(projectDir: string | undefined): Registry {
  return builtins.projectRegistry(projectDir);
}

/** Every built-in component spec (secret field names, completion, connection warnings). */
export const builtinSpecs: readonly ComponentSpec[] = builtinFamilies.flatMap((family) =>
  family.components.map((component) => component.spec),
);

/** Discovery over the built-in families (and a project's components, for their secret names). */
export const { discoverDatabase, discoverEndpoint, searchValues, sampleTable, runReadonlyQuery } =
  builtins.discovery;

/** How `osiris discover` reads a family: tables of a database, or one page of an API; undefined when it cannot. */
export function discoveryKind(family: string): 'database' | 'endpoint' | undefined {
  return builtins.discoveryKit.families[family]?.kind;
}
