import {
  collectSecretValues,
  connectionMetadata,
  formatConnectionRef,
  loadConnections,
  type RawConnection,
  resolveConnection,
  secretNamesFromSpecs,
  selectConnection,
} from '../connections/index.js';
import type { Registry } from '../registry/registry.js';
import type { ResolvedConnection } from '../spec/connection.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { DiscoveryKit, EndpointDiscovery, FamilyDiscovery } from './discovery-family.js';
import type { DiscoveryConnection, OpenSessionOptions } from './readonly-session.js';

/** A connection ready to discover: resolved in memory, not yet opened. */
export interface DiscoverySource {
  /** `@family.alias`, with the alias `@family` chose. */
  ref: string;
  family: string;
  /** Secret values of the connection, for scrubbing whatever leaves discovery. */
  secrets: string[];
  /** What the cache key hashes: no secret, but everything that changes what discovery would see. */
  identity(): Promise<Record<string, unknown>>;
  open(options: OpenSessionOptions): Promise<DiscoveryConnection>;
}

interface SourceOptions {
  projectDir: string;
  ref: string;
  env?: Record<string, string | undefined>;
}

export function resolveDiscoverySource(kit: DiscoveryKit, options: SourceOptions): DiscoverySource {
  const { raw, connection, registry, secretNames, discovery } = resolveFor(kit, options, 'database');
  const projectDir = options.projectDir;
  const component = registry.spec(discovery.component);
  return {
    ref: connection.ref,
    family: raw.family,
    secrets: collectSecretValues(connection),
    identity: async () => ({
      connection: connectionMetadata(raw, secretNames),
      target: await discovery.identity(connection, projectDir),
      component: { name: discovery.component, version: component?.version ?? 'unknown' },
    }),
    open: (sessionOptions) => discovery.open(connection, projectDir, sessionOptions),
  };
}

/** An API connection ready for `discoverEndpoint`. */
export interface EndpointSource {
  connection: ResolvedConnection;
  discovery: EndpointDiscovery;
  /** Secret values of the connection, for scrubbing whatever leaves discovery. */
  secrets: string[];
}

export function resolveEndpointSource(kit: DiscoveryKit, options: SourceOptions): EndpointSource {
  const { connection, discovery } = resolveFor(kit, options, 'endpoint');
  return { connection, discovery, secrets: collectSecretValues(connection) };
}

function resolveFor<K extends FamilyDiscovery['kind']>(
  kit: DiscoveryKit,
  options: SourceOptions,
  kind: K,
): {
  raw: RawConnection;
  connection: ResolvedConnection;
  registry: Registry;
  secretNames: string[];
  discovery: Extract<FamilyDiscovery, { kind: K }>;
} {
  const config = loadConnections({ cwd: options.projectDir, env: options.env ?? process.env });
  const raw = selectConnection(config, options.ref);
  const discovery = familyDiscovery(kit, raw, kind);
  const registry = kit.registry();
  const secretNames = secretNamesFromSpecs(registry.list().map((definition) => definition.spec));
  const connection = resolveConnection(raw, config.env, { secretNames });
  return { raw, connection, registry, secretNames, discovery };
}

function familyDiscovery<K extends FamilyDiscovery['kind']>(
  kit: DiscoveryKit,
  raw: RawConnection,
  kind: K,
): Extract<FamilyDiscovery, { kind: K }> {
  const ref = formatConnectionRef(raw.family, raw.alias);
  const discovery = kit.families[raw.family];
  if (discovery?.kind === kind) return discovery as Extract<FamilyDiscovery, { kind: K }>;
  const databases = familiesOf(kit, 'database');
  const endpoints = familiesOf(kit, 'endpoint');
  if (discovery?.kind === 'endpoint') {
    throw new OsirisError(ErrorCodes.USAGE, `${ref} is an API: discovery needs the path to look at`, {
      hint: `osiris discover ${ref} --path /orders   (one page of that path: record schema, samples, pagination)`,
      details: { ref, family: raw.family },
    });
  }
  if (discovery?.kind === 'database') {
    throw new OsirisError(ErrorCodes.USAGE, '--path and --records are for APIs', {
      hint: `${ref} is a ${raw.family} database: use --tables to narrow its discovery (APIs: ${endpoints.join(', ')})`,
      details: { ref, family: raw.family },
    });
  }
  throw new OsirisError(ErrorCodes.USAGE, `${ref}: discovery does not support the "${raw.family}" family`, {
    hint: `discovery reads ${databases.join(', ')} databases and ${endpoints.join(', ')} APIs`,
    details: { ref, family: raw.family },
  });
}

function familiesOf(kit: DiscoveryKit, kind: FamilyDiscovery['kind']): string[] {
  return Object.entries(kit.families)
    .filter(([, discovery]) => discovery.kind === kind)
    .map(([family]) => family)
    .sort();
}
