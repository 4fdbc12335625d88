import { databaseFilePath } from '../../connections/database-file-path.js';
import { fileIdentity } from '../../discovery/file-identity.js';
import type { FamilyDefinition } from '../shared/family-definition.js';
import { sqliteExtractorSpec } from './extractor.spec.js';

/** SQLite database files, read through better-sqlite3 (loaded only when used). */
export const sqliteFamily: FamilyDefinition = {
  name: 'sqlite',
  components: [
    { spec: sqliteExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
  ],
  discovery: {
    kind: 'database',
    component: sqliteExtractorSpec.name,
    open: async (connection, projectDir, options) =>
      (await import('./discovery/sqlite-discovery.js')).openSqliteDiscovery(connection, projectDir, options),
    identity: async (connection, projectDir) => fileIdentity(databaseFilePath(connection, projectDir)),
  },
  probe: async () => (await import('./probe.js')).sqliteProbe,
};
