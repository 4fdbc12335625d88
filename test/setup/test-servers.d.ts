import { type DatabaseServerFacts, type ServerFamily, type TestServers } from './server-facts.js';

export type { DatabaseServerFacts, ServerFamily, TestServers } from './server-facts.js';
export { TEST_SERVER_PASSWORD } from './server-facts.js';
/** The servers globalSetup started (or adopted from OSIRIS_TEST_*_URL) for this run. */
export declare function getTestServers(): TestServers;
/** Facts for one family; throws with the reason when that server is not available. */
export declare function requireTestServer(family: ServerFamily): DatabaseServerFacts;
/**
 * `describe` that needs real servers. Locally, a suite whose server binaries are absent is
 * skipped; with CI=true it runs anyway and fails, because CI must never silently skip them.
 */
export declare function describeIfServers(
  families: ServerFamily | readonly ServerFamily[],
  name: string,
  body: () => void,
): void;
