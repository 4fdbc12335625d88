/**
 * The part of src/discovery the agent uses. The tools depend on this interface, not on the
 * module, so a test or an embedder can hand in its own; `loadDiscovery` gives the real one.
 */
export interface DiscoveryApi {
  discoverDatabase(input: {
    projectDir: string;
    ref: string;
    env: Record<string, string | undefined>;
    tables?: string[];
    refresh?: boolean;
    signal?: AbortSignal;
  }): Promise<unknown>;
  sampleTable(input: {
    projectDir: string;
    ref: string;
    table: string;
    rows?: number;
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
  }): Promise<unknown>;
  searchValues(input: {
    projectDir: string;
    ref: string;
    text: string;
    tables?: string[];
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
  }): Promise<unknown>;
  runReadonlyQuery(input: {
    projectDir: string;
    ref: string;
    sql: string;
    maxRows?: number;
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
  }): Promise<{ columns: unknown[]; rows: unknown[]; truncated: boolean }>;
}

/** The real discovery module, loaded on first use (it pulls in the database clients). */
export async function loadDiscovery(): Promise<DiscoveryApi> {
  const discovery = await import('../../discovery/index.js');
  return discovery as unknown as DiscoveryApi;
}
