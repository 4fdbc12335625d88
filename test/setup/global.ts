// Global test setup: database servers for integration suites are started here (see servers.ts once present).
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
