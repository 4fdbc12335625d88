import type { Registry } from '../registry/registry.js';
import type { ResolvedConnection } from '../spec/connection.js';
import type { DiscoveryConnection, OpenSessionOptions } from './readonly-session.js';
import type { EndpointProfile } from './types.js';

/**
 * How a database family is discovered: open a read-only session and read its catalog. A family
 * folder implements this; discovery itself knows no family.
 */
export interface DatabaseDiscovery {
  kind: 'database';
  /** The component whose spec version goes into the cache key: its reader defines what discovery sees. */
  component: string;
  open(
    connection: ResolvedConnection,
    projectDir: string,
    options: OpenSessionOptions,
  ): Promise<DiscoveryConnection>;
  /**
   * Where the data lives, without secrets: a changed host, database or file invalidates the cache
   * even when the connections file only changed through `${VAR}` values. Files add their size
   * and modification time (see `fileIdentity`), so a rewritten database or CSV is rediscovered.
   */
  identity(connection: ResolvedConnection, projectDir: string): Promise<unknown>;
}

export interface EndpointDiscoveryOptions {
  connection: ResolvedConnection;
  /** The path to fetch one page of, e.g. `/orders`. */
  path: string;
  /** JSON path of the records; found in the response when absent. */
  records?: string;
  samples: number;
  signal: AbortSignal;
}

/** How an API family is discovered: it has no tables, so one page of a path is fetched and described. */
export interface EndpointDiscovery {
  kind: 'endpoint';
  component: string;
  discover(options: EndpointDiscoveryOptions): Promise<EndpointProfile>;
}

export type FamilyDiscovery = DatabaseDiscovery | EndpointDiscovery;

/** What discovery is given to work with: the families it can read and the components they use. */
export interface DiscoveryKit {
  /** family name (`mysql`, `rest`) → how to discover a connection of that family. */
  families: Readonly<Record<string, FamilyDiscovery>>;
  /** The components whose specs name secret fields and version what discovery sees. */
  registry(): Registry;
}
