import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isOsirisError, type SerializedError } from '../spec/errors.js';
import type { Redactor } from '../util/redactor.js';

/**
 * A tool's answer: the value as JSON text (what every client shows the model) and as
 * `structuredContent` (for clients that read it), both scrubbed of secrets.
 */
export function toolSuccess(value: Record<string, unknown>, redactor: Redactor): CallToolResult {
  const safe = redactor.strings(jsonSafe(value), { keys: true }) as Record<string, unknown>;
  return { content: [{ type: 'text', text: JSON.stringify(safe, null, 2) }], structuredContent: safe };
}

/**
 * A failed call as an MCP `isError` result: the OsirisError code, message and hint, so the model
 * can correct itself. Errors we did not anticipate become E_INTERNAL without a stack.
 */
export function toolFailure(error: unknown, redactor: Redactor): CallToolResult {
  const serialized = redactor.strings(jsonSafe(serializeError(error)), { keys: true }) as SerializedError;
  const lines = [`[${serialized.code}] ${serialized.message}`];
  if (serialized.hint) lines.push(`hint: ${serialized.hint}`);
  if (serialized.details) lines.push(`details: ${JSON.stringify(serialized.details, null, 2)}`);
  return {
    content: [{ type: 'text', text: lines.join('\n') }],
    structuredContent: { ok: false, error: serialized },
    isError: true,
  };
}

export function serializeError(error: unknown): SerializedError {
  if (isOsirisError(error)) return error.toJSON();
  return {
    code: 'E_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    hint: 'this is a bug in Osiris; the server log (stderr) has more, please report it',
  };
}

/** Plain JSON: bigint as text, dates as ISO strings, undefined dropped. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item)),
  );
}
