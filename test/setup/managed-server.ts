import type { DatabaseServerFacts } from './server-facts.js';

/** A server this test run started (or adopted from an env URL) and must stop on teardown. */
export interface ManagedServer {
  facts: DatabaseServerFacts;
  stop(): Promise<void>;
}
