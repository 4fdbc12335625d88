import type { Driver } from '../../spec/driver.js';
import { requireConnection } from '../postgres/step-connection.js';
import { writeToPostgres } from '../postgres/write.js';
import { parseWriterSettings } from '../postgres/writer-config.js';
import { hasPostgresProtocol, supabaseSslMode } from './connection-modes.js';
import { writeOverRest } from './rest-write.js';

const COMPONENT = 'supabase.writer';

/**
 * supabase.writer: over the Postgres protocol (COPY in one transaction, like postgres.writer)
 * when the connection has a dsn or host; otherwise over the REST API in batches.
 */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const connection = requireConnection(ctx, COMPONENT, ['supabase']);
    const settings = parseWriterSettings(config, COMPONENT);
    if (hasPostgresProtocol(connection)) {
      return writeToPostgres(connection, settings, inputs, ctx, {
        defaultSslMode: supabaseSslMode(connection),
      });
    }
    return writeOverRest(connection, settings, inputs, ctx);
  },
};
