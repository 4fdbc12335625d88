import type { ComponentSpec, SpecMode } from '../spec/component.js';

/** What a listing needs to know about a component (CLI `components list --json`, agent tools). */
export interface ComponentSummary {
  name: string;
  version: string;
  title: string;
  description: string;
  modes: SpecMode[];
  connectionFamilies: string[];
  capabilities: string[];
}

export function summarizeSpec(spec: ComponentSpec): ComponentSummary {
  return {
    name: spec.name,
    version: spec.version,
    title: spec.title,
    description: spec.description,
    modes: [...spec.modes],
    connectionFamilies: [...(spec.connection?.families ?? [])],
    capabilities: Object.entries(spec.capabilities)
      .filter(([, enabled]) => enabled === true)
      .map(([capability]) => capability)
      .sort(),
  };
}
