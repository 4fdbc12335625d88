import type { ResolvedConnection } from '../../spec/connection.js';
import type { StepContext } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** The step's resolved connection; the runner resolves `config.connection` before calling the driver. */
export function requireConnection(
  ctx: StepContext,
  component: string,
  families: readonly string[],
): ResolvedConnection {
  const connection = ctx.connection;
  if (!connection) {
    throw new OsirisError(ErrorCodes.USAGE, `${component} needs a connection`, {
      hint: `Set \`connection: "@${families[0]}.<alias>"\` in the step config.`,
    });
  }
  if (!families.includes(connection.family)) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component} cannot use ${connection.ref} (a ${connection.family} connection)`,
      {
        hint: `Use a connection of family ${families.join(' or ')}.`,
      },
    );
  }
  return connection;
}
