/**
 * The password of the `osiris` test user. A planted secret: tests scan logs, events, reports
 * and error messages for this exact value to prove secrets never leak.
 */
export const TEST_SERVER_PASSWORD = 'S3cr3t-osiris-test-pw';
export const TEST_SERVER_USER = 'osiris';
export const TEST_SERVER_DATABASE = 'movies';
/** Key under which globalSetup provides the servers to tests (`inject('osirisTestServers')`). */
export const TEST_SERVERS_KEY = 'osirisTestServers';
//# sourceMappingURL=server-facts.js.map
