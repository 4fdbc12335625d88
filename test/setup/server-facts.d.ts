/** What a test needs to reach one database server. Serialisable: it crosses into test workers. */
export interface DatabaseServerFacts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}
export type ServerFamily = 'mysql' | 'postgres';
export interface TestServers {
  mysql?: DatabaseServerFacts;
  postgres?: DatabaseServerFacts;
  /** Why a family has no server (binaries absent, or disabled by OSIRIS_TEST_SERVERS=none). */
  unavailable: Partial<Record<ServerFamily, string>>;
}
/**
 * The password of the `osiris` test user. A planted secret: tests scan logs, events, reports
 * and error messages for this exact value to prove secrets never leak.
 */
export declare const TEST_SERVER_PASSWORD = 'S3cr3t-osiris-test-pw';
export declare const TEST_SERVER_USER = 'osiris';
export declare const TEST_SERVER_DATABASE = 'movies';
/** Key under which globalSetup provides the servers to tests (`inject('osirisTestServers')`). */
export declare const TEST_SERVERS_KEY = 'osirisTestServers';
declare module 'vitest' {
  interface ProvidedContext {
    osirisTestServers: TestServers;
  }
}
