import type { Driver } from '../../spec/driver.js';
import { extractFromPostgres } from './extract.js';
import { parseExtractorSettings } from './extractor-config.js';
import { requireConnection } from './step-connection.js';

const COMPONENT = 'postgres.extractor';

/** postgres.extractor: a table or query, streamed with COPY into the step's data-plane table. */
export const driver: Driver = {
  async run({ config, ctx }) {
    const connection = requireConnection(ctx, COMPONENT, ['postgres']);
    return extractFromPostgres(connection, parseExtractorSettings(config, COMPONENT), ctx);
  },
};
