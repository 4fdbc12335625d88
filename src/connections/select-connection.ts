import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { closestMatch } from './closest-match.js';
import { formatConnectionRef, parseConnectionRef } from './connection-ref.js';
import { CONNECTIONS_FILE_NAME } from './find-connections-file.js';
import type { ConnectionsConfig, RawConnection } from './types.js';

/**
 * The connection a ref names. `@family` alone picks the alias with `default: true`, then
 * the alias named `default`; anything else is ambiguous and the error lists the aliases.
 */
export function selectConnection(config: ConnectionsConfig, ref: string): RawConnection {
  const { family, alias } = parseConnectionRef(ref);
  if (!config.file) {
    throw new OsirisError(
      ErrorCodes.CONNECTIONS_FILE_NOT_FOUND,
      `Cannot resolve ${ref}: no ${CONNECTIONS_FILE_NAME} found in ${config.projectDir} or its parent folders`,
      {
        hint: 'run `osiris init` to create one, or set OSIRIS_HOME to the folder that holds it',
        details: { ref, searchedFrom: config.projectDir },
      },
    );
  }
  const refs = config.connections.map((connection) =>
    formatConnectionRef(connection.family, connection.alias),
  );
  const inFamily = config.connections.filter((connection) => connection.family === family);

  if (alias !== undefined) {
    const found = inFamily.find((connection) => connection.alias === alias);
    if (found) return found;
    throw notFound(
      `Connection ${ref} is not defined in ${config.file}`,
      closestMatch(`@${family}.${alias}`, refs),
      refs,
      ref,
      config.file,
    );
  }
  if (inFamily.length === 0) {
    const families = [...new Set(config.connections.map((connection) => connection.family))];
    const suggestion = closestMatch(family, families);
    throw notFound(
      `No connection of family "${family}" is defined in ${config.file}`,
      suggestion === undefined ? undefined : `@${suggestion}`,
      refs,
      ref,
      config.file,
    );
  }
  const chosen =
    inFamily.find((connection) => connection.isDefault) ??
    inFamily.find((connection) => connection.alias === 'default');
  if (chosen) return chosen;
  const aliases = inFamily.map((connection) => connection.alias);
  throw new OsirisError(
    ErrorCodes.CONNECTION_AMBIGUOUS,
    `${ref} does not say which connection to use: family "${family}" has ${aliases.join(', ')} and none is the default`,
    {
      hint: `write the full reference (e.g. ${formatConnectionRef(family, aliases[0] ?? 'alias')}), or mark one alias with \`default: true\` in ${config.file}`,
      details: { ref, family, aliases, file: config.file },
    },
  );
}

function notFound(
  message: string,
  suggestion: string | undefined,
  refs: readonly string[],
  ref: string,
  file: string,
): OsirisError {
  const shown = refs.length > 20 ? [...refs.slice(0, 20), `… ${refs.length - 20} more`] : refs;
  const defined = refs.length === 0 ? 'the file defines no connections yet' : `defined: ${shown.join(', ')}`;
  return new OsirisError(ErrorCodes.CONNECTION_NOT_FOUND, message, {
    hint: suggestion
      ? `did you mean ${suggestion}? (${defined})`
      : `${defined}; run \`osiris connections list\``,
    details: { ref, file, ...(suggestion ? { suggestion } : {}) },
  });
}
