import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import { retryWithBackoff } from '../../util/retry-with-backoff.js';

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface HttpPolicy {
  /** Per request, until the whole body has arrived. */
  timeoutMs: number;
  /** Retries after the first attempt for 429, 5xx and dropped connections. */
  retries: number;
  maxResponseBytes: number;
  signal: AbortSignal;
  /** Called before each retry (the step reports it as a `connection_retry` event). */
  onRetry?(info: { attempt: number; delayMs: number; error: OsirisError }): void;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body. */
  body: unknown;
  bytes: number;
}

/** Longest Retry-After honoured; a server asking for more is treated as refusing. */
const MAX_RETRY_AFTER_MS = 300_000;

/**
 * One JSON request with the policy every HTTP source shares: a time limit covering the whole
 * body, a size limit, and retries with the one backoff (src/util) on 429 (honouring
 * `Retry-After`), 5xx and dropped connections. URLs in errors show no query string, so an API key
 * sent as a parameter never reaches a message.
 */
export async function requestJson(request: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  return retryWithBackoff(() => attempt(request, policy), {
    retries: policy.retries,
    initialDelayMs: 500,
    maxDelayMs: 30_000,
    signal: policy.signal,
    isRetryable: (error) => (error as OsirisError).retryable === true,
    delayFor: (error) => {
      const delay = (error as OsirisError).details?.retry_after_ms;
      return typeof delay === 'number' ? delay : undefined;
    },
    onRetry: (info) => policy.onRetry?.({ ...info, error: info.error as OsirisError }),
  });
}

async function attempt(request: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  const where = describeUrl(request.url);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), policy.timeoutMs);
  const signal = AbortSignal.any([policy.signal, timeout.signal]);
  try {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method ?? 'GET',
        headers: { accept: 'application/json', ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body }),
        signal,
        redirect: 'follow',
      });
    } catch (error) {
      throw networkError(error, where, policy, timeout.signal.aborted);
    }
    const text = await readBody(response, where, policy, timeout.signal);
    if (response.status < 200 || response.status > 299) throw statusError(response, text, where);
    let body: unknown;
    try {
      body = text.length === 0 ? null : JSON.parse(text);
    } catch (error) {
      throw new OsirisError(
        ErrorCodes.RESPONSE_INVALID,
        `${where} answered with a body that is not JSON: ${(error as Error).message}`,
        {
          hint: 'check `path` and the API documentation: this extractor reads JSON responses. Nothing of the step was kept.',
          details: { url: where, status: response.status, body_start: text.slice(0, 120) },
        },
      );
    }
    return { status: response.status, headers: response.headers, body, bytes: Buffer.byteLength(text) };
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, refusing more than maxResponseBytes without reading the rest. */
async function readBody(
  response: Response,
  where: string,
  policy: HttpPolicy,
  timeoutSignal: AbortSignal,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > policy.maxResponseBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(where, policy);
  }
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > policy.maxResponseBytes) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge(where, policy);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if ((error as OsirisError).code === ErrorCodes.RESPONSE_TOO_LARGE) throw error;
    throw networkError(error, where, policy, timeoutSignal.aborted);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(where: string, policy: HttpPolicy): OsirisError {
  return new OsirisError(
    ErrorCodes.RESPONSE_TOO_LARGE,
    `${where} answered with more than ${policy.maxResponseBytes} bytes`,
    {
      hint: 'ask for smaller pages (a page size parameter in `paginate` or `params`) or raise `max_response_bytes`.',
      details: { url: where, max_response_bytes: policy.maxResponseBytes },
    },
  );
}

function statusError(response: Response, text: string, where: string): OsirisError {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const retryable = status === 429 || status >= 500;
  const auth = status === 401 || status === 403;
  return new OsirisError(
    auth ? ErrorCodes.AUTH_FAILED : ErrorCodes.HTTP_STATUS,
    `${where} answered ${status} ${response.statusText}${retryable ? ' (retries exhausted)' : ''}`.trim(),
    {
      hint: auth
        ? 'check the `auth` of the connection (`osiris connections list` shows it with secrets masked).'
        : status === 404
          ? 'check `path` and the connection `base_url`.'
          : retryable
            ? 'the API is overloaded or failing; raise `retries`, or try again later.'
            : 'check `params` and `headers` against the API documentation.',
      details: {
        url: where,
        status,
        body_start: text.slice(0, 200),
        ...(retryAfterMs === undefined ? {} : { retry_after_ms: retryAfterMs }),
      },
      retryable: retryable && (retryAfterMs === undefined || retryAfterMs <= MAX_RETRY_AFTER_MS),
    },
  );
}

function networkError(error: unknown, where: string, policy: HttpPolicy, timedOut: boolean): OsirisError {
  if (policy.signal.aborted) return new CancelledError('The step was cancelled.', { cause: error });
  if (timedOut) {
    return new OsirisError(
      ErrorCodes.TIMEOUT,
      `${where} did not answer within ${policy.timeoutMs / 1000} s`,
      {
        hint: 'the API is slow or not answering; raise `timeout` (seconds per request) if it needs longer.',
        details: { url: where, timeout_ms: policy.timeoutMs },
      },
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new OsirisError(
    ErrorCodes.CONNECTION_FAILED,
    `${where}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    {
      hint: 'check the connection `base_url` and that the API is reachable from here.',
      details: { url: where },
      retryable: true,
      cause: error,
    },
  );
}

/** Seconds or an HTTP date, as milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The URL without query string or credentials: safe in messages. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
