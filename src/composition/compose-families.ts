import type { FamilyDefinition } from '../components/shared/family-definition.js';
import type { DoctorProbe } from '../connections/doctor-probe.js';
import {
  createDiscovery,
  type Discovery,
  type DiscoveryKit,
  type FamilyDiscovery,
} from '../discovery/index.js';
import { buildRegistry, withProjectComponents } from '../registry/build-registry.js';
import type { Registry } from '../registry/registry.js';
import { OsirisError } from '../spec/errors.js';

/** Osiris assembled from a list of families: what the commands, the agent, MCP and the worker use. */
export interface Composition {
  families: readonly FamilyDefinition[];
  /** The families' components, validated once. */
  registry(): Registry;
  /** The families' components plus a project's own (`components/<name>/`), read afresh per call. */
  projectRegistry(projectDir: string | undefined): Registry;
  discovery: Discovery;
  discoveryKit: DiscoveryKit;
  /** family name → its `connections doctor` check. */
  doctorProbes: Readonly<Record<string, () => Promise<DoctorProbe>>>;
}

/**
 * Binds technology families to the layers that use them. The core (registry, discovery,
 * connections, runtime) never imports a family: it is handed what it needs from here.
 */
export function composeFamilies(
  families: readonly FamilyDefinition[],
  options: {
    /** The specs are checked by their own tests (the shipped families): not again at every start. */
    specsChecked?: boolean;
  } = {},
): Composition {
  const names = new Set<string>();
  for (const family of families) {
    if (names.has(family.name)) {
      throw new OsirisError('E_SPEC_INVALID', `family ${family.name} is defined twice`, {
        details: { family: family.name },
      });
    }
    names.add(family.name);
  }
  let registry: Registry | undefined;
  const builtins = () => {
    registry ??= buildRegistry(
      families.flatMap((family) => family.components),
      options.specsChecked ? { checked: true } : {},
    );
    return registry;
  };
  const discoveryFamilies: Record<string, FamilyDiscovery> = {};
  const doctorProbes: Record<string, () => Promise<DoctorProbe>> = {};
  for (const family of families) {
    if (family.discovery) discoveryFamilies[family.name] = family.discovery;
    if (family.probe) doctorProbes[family.name] = family.probe;
  }
  const projectRegistry = (projectDir: string | undefined) => withProjectComponents(builtins(), projectDir);
  // Discovery reads the families' own connections: a broken project component must not stop it.
  const discoveryKit: DiscoveryKit = { families: discoveryFamilies, registry: builtins };
  return {
    families,
    registry: builtins,
    projectRegistry,
    discovery: createDiscovery(discoveryKit),
    discoveryKit,
    doctorProbes,
  };
}
