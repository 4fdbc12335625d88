import type { IncomingHttpHeaders } from 'node:http';
import type { ModelCall, ProtocolName } from './model-call.js';

/** One HTTP request the fake server received, kept so tests can assert on what was sent. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as requested. */
  path: string;
  /** Lower-case header names; credentials (authorization, api keys, cookies, tokens) are left out. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty or too large. */
  body: unknown;
  protocol: ProtocolName | undefined;
  /** What the request asked the model, when it was a model call. */
  call: ModelCall | undefined;
  /** 0-based index of the scenario step that answered it. */
  stepIndex: number | undefined;
  /** HTTP status of the answer; undefined until answered. */
  status: number | undefined;
  /** Why the request did not match the scenario, when it did not. */
  mismatch: string | undefined;
}

const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|password|cookie/i;

export function headersWithoutCredentials(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CREDENTIAL_HEADER.test(name)) continue;
    kept[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}
