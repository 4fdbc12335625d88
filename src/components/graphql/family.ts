import type { FamilyDefinition } from '../shared/family-definition.js';
import { graphqlExtractorSpec } from './extractor.spec.js';

/** GraphQL APIs: one query, cursor pagination over `pageInfo`. */
export const graphqlFamily: FamilyDefinition = {
  name: 'graphql',
  components: [
    { spec: graphqlExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
  ],
  probe: async () => (await import('./probe.js')).graphqlProbe,
};
