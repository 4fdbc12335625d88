import type { ResolvedConnection } from '../../spec/connection.js';
import type { FamilyDefinition } from '../shared/family-definition.js';
import { resolveEndpoint } from './connection-settings.js';
import { postgresExtractorSpec } from './extractor.spec.js';
import { postgresWriterSpec } from './writer.spec.js';

/** PostgreSQL. Drivers, discovery and probe load pg only when used. */
export const postgresFamily: FamilyDefinition = {
  name: 'postgres',
  components: [
    { spec: postgresExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
    {
      spec: postgresWriterSpec,
      loadDriver: async () => (await import('./writer.driver.js')).driver,
      loadTargetCursor: async () => {
        const { maxCursorInPostgresTable } = await import('./target-cursor.js');
        return (connection, config, column) =>
          maxCursorInPostgresTable(connection, config, column, postgresWriterSpec.name);
      },
    },
  ],
  discovery: {
    kind: 'database',
    component: postgresExtractorSpec.name,
    open: async (connection, _projectDir, options) =>
      (await import('./discovery/postgres-discovery.js')).openPostgresDiscovery(connection, options),
    identity: async (connection) => postgresServerIdentity(connection),
  },
  probe: async () => (await import('./probe.js')).postgresProbe,
};

/** Where a PostgreSQL connection points, without its password: the discovery cache key. */
export function postgresServerIdentity(connection: ResolvedConnection): Record<string, unknown> {
  const endpoint = resolveEndpoint(connection);
  return { host: endpoint.host, port: endpoint.port, user: endpoint.user, database: endpoint.database };
}
