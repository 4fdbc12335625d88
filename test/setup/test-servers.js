import { describe, inject } from 'vitest';
import { TEST_SERVERS_KEY } from './server-facts.js';

export { TEST_SERVER_PASSWORD } from './server-facts.js';
/** The servers globalSetup started (or adopted from OSIRIS_TEST_*_URL) for this run. */
export function getTestServers() {
  return inject(TEST_SERVERS_KEY) ?? { unavailable: { mysql: 'no globalSetup', postgres: 'no globalSetup' } };
}
/** Facts for one family; throws with the reason when that server is not available. */
export function requireTestServer(family) {
  const servers = getTestServers();
  const facts = servers[family];
  if (!facts) throw new Error(`no ${family} test server: ${servers.unavailable[family] ?? 'unknown reason'}`);
  return facts;
}
/**
 * `describe` that needs real servers. Locally, a suite whose server binaries are absent is
 * skipped; with CI=true it runs anyway and fails, because CI must never silently skip them.
 */
export function describeIfServers(families, name, body) {
  const servers = getTestServers();
  const missing = [families].flat().filter((family) => !servers[family]);
  if (missing.length === 0 || process.env.CI === 'true') {
    describe(name, body);
    return;
  }
  const reasons = missing.map((family) => `${family}: ${servers.unavailable[family]}`).join('; ');
  describe.skip(`${name} (skipped: ${reasons})`, body);
}
//# sourceMappingURL=test-servers.js.map
