import type { FamilyDefinition } from '../shared/family-definition.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { mysqlExtractorSpec } from './extractor.spec.js';
import { mysqlWriterSpec } from './writer.spec.js';

/** MySQL and MariaDB. Drivers, discovery and probe load mysql2 only when used. */
export const mysqlFamily: FamilyDefinition = {
  name: 'mysql',
  components: [
    { spec: mysqlExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
    {
      spec: mysqlWriterSpec,
      loadDriver: async () => (await import('./writer.driver.js')).driver,
      loadTargetCursor: async () => (await import('./target-cursor.js')).maxCursorInMysqlTable,
    },
  ],
  discovery: {
    kind: 'database',
    component: mysqlExtractorSpec.name,
    open: async (connection, _projectDir, options) =>
      (await import('./discovery/mysql-discovery.js')).openMysqlDiscovery(connection, options),
    identity: async (connection) => {
      const settings = resolveMysqlSettings(connection, {});
      return {
        host: settings.host,
        port: settings.port,
        user: settings.user,
        database: settings.database ?? null,
      };
    },
  },
  probe: async () => (await import('./probe.js')).mysqlProbe,
};
