import { fileIdentity } from '../../discovery/file-identity.js';
import type { FamilyDefinition } from '../shared/family-definition.js';
import { csvExtractorSpec } from './csv-extractor.spec.js';
import { csvWriterSpec } from './csv-writer.spec.js';
import { jsonWriterSpec } from './json-writer.spec.js';
import { parquetWriterSpec } from './parquet-writer.spec.js';

/** Files on disk: CSV in, CSV/Parquet/JSON out; a folder of CSV files discovered as tables. */
export const filesystemFamily: FamilyDefinition = {
  name: 'filesystem',
  components: [
    { spec: csvExtractorSpec, loadDriver: async () => (await import('./csv-extractor.driver.js')).driver },
    { spec: csvWriterSpec, loadDriver: async () => (await import('./csv-writer.driver.js')).driver },
    { spec: parquetWriterSpec, loadDriver: async () => (await import('./parquet-writer.driver.js')).driver },
    { spec: jsonWriterSpec, loadDriver: async () => (await import('./json-writer.driver.js')).driver },
  ],
  discovery: {
    kind: 'database',
    component: csvExtractorSpec.name,
    open: async (connection, projectDir, options) =>
      (await import('./discovery.js')).openCsvFolderDiscovery(connection, projectDir, options),
    identity: async (connection, projectDir) => {
      const { csvFiles, csvFolderPath } = await import('./discovery.js');
      const folder = csvFolderPath(connection, projectDir);
      return { folder, files: [...csvFiles(folder).values()].map(fileIdentity) };
    },
  },
};
