import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { postgresServerIdentity } from '../postgres/family.js';
import type { FamilyDefinition } from '../shared/family-definition.js';
import { supabaseExtractorSpec } from './extractor.spec.js';
import { supabaseWriterSpec } from './writer.spec.js';

/** Supabase: its PostgreSQL database (the postgres drivers) or its REST API. */
export const supabaseFamily: FamilyDefinition = {
  name: 'supabase',
  components: [
    { spec: supabaseExtractorSpec, loadDriver: async () => (await import('./extractor.driver.js')).driver },
    {
      spec: supabaseWriterSpec,
      loadDriver: async () => (await import('./writer.driver.js')).driver,
      loadTargetCursor: async () => {
        const { maxCursorInPostgresTable } = await import('../postgres/target-cursor.js');
        const { hasPostgresProtocol, supabaseSslMode } = await import('./connection-modes.js');
        return async (connection, config, column) =>
          hasPostgresProtocol(connection)
            ? maxCursorInPostgresTable(connection, config, column, supabaseWriterSpec.name, {
                defaultSslMode: supabaseSslMode(connection),
              })
            : undefined;
      },
    },
  ],
  discovery: {
    kind: 'database',
    component: supabaseExtractorSpec.name,
    open: async (connection, _projectDir, options) => {
      requirePostgresFields(connection);
      const { openPostgresDiscovery } = await import('../postgres/discovery/postgres-discovery.js');
      return openPostgresDiscovery(connection, options, {
        defaultSslMode: 'require',
        excludedSchemas: SUPABASE_INTERNAL_SCHEMAS,
      });
    },
    identity: async (connection) => postgresServerIdentity(connection),
  },
  probe: async () => (await import('./probe.js')).supabaseProbe,
};

/** The REST API (`url` + `key`) cannot list tables or run SQL: discovery needs the database itself. */
function requirePostgresFields(connection: ResolvedConnection): void {
  const fields = connection.fields;
  if (fields.dsn || fields.host) return;
  throw new OsirisError(
    ErrorCodes.CONNECTION_FAILED,
    `${connection.ref}: discovery needs the Postgres connection of the Supabase project (a \`dsn\` or \`host\` field)`,
    {
      hint: 'add dsn: ${SUPABASE_DB_URL} (Project Settings → Database → Connection string) to the connection',
      details: { ref: connection.ref },
    },
  );
}

/** Schemas of Supabase's own services: present in every project, never the user's data. */
export const SUPABASE_INTERNAL_SCHEMAS = [
  'auth',
  'storage',
  'realtime',
  '_realtime',
  'supabase_functions',
  'supabase_migrations',
  'extensions',
  'graphql',
  'graphql_public',
  'pgbouncer',
  'pgsodium',
  'pgsodium_masks',
  'vault',
  'net',
  'cron',
  '_analytics',
];
