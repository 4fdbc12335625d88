import type { FamilyDefinition } from '../shared/family-definition.js';
import { restExtractorSpec } from './extractor.spec.js';

/** HTTP JSON APIs configured in OML: auth, pagination, records path. */
export const restFamily: FamilyDefinition = {
  name: 'rest',
  components: [
    { spec: restExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
  ],
  discovery: {
    kind: 'endpoint',
    component: restExtractorSpec.name,
    discover: async (options) => (await import('./discover-rest.js')).discoverRest(options),
  },
  probe: async () => (await import('./probe.js')).restProbe,
};
