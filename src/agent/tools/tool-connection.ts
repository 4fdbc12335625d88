import { formatConnectionRef } from '../../connections/connection-ref.js';
import { selectConnection } from '../../connections/select-connection.js';
import type { RawConnection } from '../../connections/types.js';
import type { ToolContext } from './tool-context.js';

/**
 * The connection a tool argument names, accepting what models tend to write (`mysql.movies`,
 * `@mysql`), as its full `@family.alias` reference.
 */
export function resolveToolConnection(
  context: ToolContext,
  argument: string,
): { ref: string; raw: RawConnection } {
  const trimmed = argument.trim().replace(/^"|"$/g, '');
  const written = trimmed.startsWith('@') ? trimmed : `@${trimmed}`;
  const raw = selectConnection(context.connections, written);
  return { ref: formatConnectionRef(raw.family, raw.alias), raw };
}
