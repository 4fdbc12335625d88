import type { Driver } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { extractFromPostgres } from '../postgres/extract.js';
import { parseExtractorSettings } from '../postgres/extractor-config.js';
import { requireConnection } from '../postgres/step-connection.js';
import { hasPostgresProtocol, supabaseSslMode } from './connection-modes.js';
import { extractOverRest } from './rest-extract.js';

const COMPONENT = 'supabase.extractor';

/**
 * supabase.extractor: over the Postgres protocol (COPY, like postgres.extractor) when the
 * connection has a dsn or host, since that is faster, exact and transactional; otherwise over
 * the REST API with url + key.
 */
export const driver: Driver = {
  async run({ config, ctx }) {
    const connection = requireConnection(ctx, COMPONENT, ['supabase']);
    const settings = parseExtractorSettings(config, COMPONENT);
    if (hasPostgresProtocol(connection)) {
      return extractFromPostgres(connection, settings, ctx, {
        defaultSslMode: supabaseSslMode(connection),
        component: COMPONENT,
      });
    }
    if (settings.parallel) {
      throw new OsirisError(ErrorCodes.USAGE, `${COMPONENT}: \`parallel\` reads need the Postgres protocol`, {
        hint: 'Add the project database (`dsn` or `host`) to the connection, or leave `parallel` out for the REST API.',
      });
    }
    return extractOverRest(connection, settings, ctx);
  },
};
