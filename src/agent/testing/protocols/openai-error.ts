import type { ServerResponse } from 'node:http';
import { writeJson } from './http-writes.js';

/** OpenAI's `{ error: { message, type, param, code } }`, with the type and code it uses per status. */
export function writeOpenAiError(
  response: ServerResponse,
  status: number,
  message: string,
  type?: string,
): void {
  const { defaultType, code } = openAiErrorKind(status);
  writeJson(response, status, { error: { message, type: type ?? defaultType, param: null, code } });
}

function openAiErrorKind(status: number): { defaultType: string; code: string | null } {
  if (status === 401) return { defaultType: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 429) return { defaultType: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { defaultType: 'server_error', code: null };
  return { defaultType: 'invalid_request_error', code: null };
}
