import type { FamilyDefinition } from '../shared/family-definition.js';
import { posthogExtractorSpec } from './extractor.spec.js';

/** PostHog events and persons through its HogQL query API. */
export const posthogFamily: FamilyDefinition = {
  name: 'posthog',
  components: [
    { spec: posthogExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
  ],
  probe: async () => (await import('./probe.js')).posthogProbe,
};
