import type { Driver } from '../../spec/driver.js';
import { requireConnection } from './step-connection.js';
import { writeToPostgres } from './write.js';
import { parseWriterSettings } from './writer-config.js';

const COMPONENT = 'postgres.writer';

/** postgres.writer: append, replace or upsert the upstream rows with COPY, in one transaction. */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const connection = requireConnection(ctx, COMPONENT, ['postgres']);
    return writeToPostgres(connection, parseWriterSettings(config, COMPONENT), inputs, ctx);
  },
};
