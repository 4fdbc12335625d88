import { discoverDatabase } from './discover-database.js';
import { discoverEndpoint } from './discover-endpoint.js';
import type { DiscoveryKit } from './discovery-family.js';
import { runReadonlyQuery } from './run-readonly-query.js';
import { sampleTable } from './sample-table.js';
import { searchValues } from './search-values.js';

/** Discovery bound to the families it may read: what the CLI, the agent and MCP call. */
export function createDiscovery(kit: DiscoveryKit) {
  return {
    discoverDatabase: (options: Parameters<typeof discoverDatabase>[1]) => discoverDatabase(kit, options),
    discoverEndpoint: (options: Parameters<typeof discoverEndpoint>[1]) => discoverEndpoint(kit, options),
    searchValues: (options: Parameters<typeof searchValues>[1]) => searchValues(kit, options),
    sampleTable: (options: Parameters<typeof sampleTable>[1]) => sampleTable(kit, options),
    runReadonlyQuery: (options: Parameters<typeof runReadonlyQuery>[1]) => runReadonlyQuery(kit, options),
  };
}

export type Discovery = ReturnType<typeof createDiscovery>;
