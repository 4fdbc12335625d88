import { databaseFilePath } from '../../connections/database-file-path.js';
import { fileIdentity } from '../../discovery/file-identity.js';
import type { FamilyDefinition } from '../shared/family-definition.js';
import { duckdbExtractorSpec } from './extractor.spec.js';
import { duckdbProcessorSpec } from './processor.spec.js';

/** DuckDB database files, and the SQL processor that runs in the run's own DuckDB data plane. */
export const duckdbFamily: FamilyDefinition = {
  name: 'duckdb',
  components: [
    { spec: duckdbProcessorSpec, loadDriver: async () => (await import('./processor.driver.js')).driver },
    { spec: duckdbExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
  ],
  discovery: {
    kind: 'database',
    component: duckdbExtractorSpec.name,
    open: async (connection, projectDir, options) =>
      (await import('./discovery.js')).openDuckdbDiscovery(connection, projectDir, options),
    identity: async (connection, projectDir) => fileIdentity(databaseFilePath(connection, projectDir)),
  },
  probe: async () => (await import('./probe.js')).duckdbProbe,
};
