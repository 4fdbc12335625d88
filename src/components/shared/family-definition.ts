import type { DoctorProbe } from '../../connections/doctor-probe.js';
import type { FamilyDiscovery } from '../../discovery/discovery-family.js';
import type { ComponentDefinition } from '../../spec/component.js';

/**
 * Everything Osiris knows about one technology, exported from the technology's own folder: its
 * components (specs bound to lazily loaded drivers), how `osiris discover` reads its connections
 * and how `osiris connections doctor` checks them. The registry, discovery and the doctor iterate
 * over a list of these; none of them names a family.
 */
export interface FamilyDefinition {
  /** The connection family: `@<name>.alias` in OML, `<name>:` in osiris_connections.yaml. */
  name: string;
  components: readonly ComponentDefinition[];
  discovery?: FamilyDiscovery;
  /** Loaded only when a connection of this family is checked. */
  probe?: () => Promise<DoctorProbe>;
}
