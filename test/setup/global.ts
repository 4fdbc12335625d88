import type { TestProject } from 'vitest/node';
import { TEST_SERVERS_KEY } from './server-facts.js';
import { startTestServers } from './servers.js';

/**
 * Vitest globalSetup: real MariaDB and PostgreSQL servers, started once per test run and
 * handed to test files through `inject('osirisTestServers')` (see test-servers.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const running = await startTestServers();
  project.provide(TEST_SERVERS_KEY, running.servers);
  return running.stop;
}
