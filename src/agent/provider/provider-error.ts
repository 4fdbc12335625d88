import { APICallError, RetryError } from 'ai';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import type { ModelSettings } from './agent-settings.js';
import { describeModel } from './create-language-model.js';

/** A failed model call as the user sees it: what failed, the provider's words, what to try. */
export function toProviderError(error: unknown, settings: ModelSettings): OsirisError {
  if (isOsirisError(error)) return error;
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  const model = describeModel(settings);
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    return new OsirisError(
      ErrorCodes.PROVIDER_FAILED,
      `The model provider failed (${model}${status ? `, HTTP ${status}` : ''}): ${shorten(providerMessage(cause))}`,
      {
        hint: hintForStatus(status, settings),
        retryable: cause.isRetryable,
        details: { model, ...(status ? { status } : {}) },
        cause: error,
      },
    );
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  const unreachable = /ECONNREFUSED|ENOTFOUND|fetch failed|ETIMEDOUT|EAI_AGAIN/i.test(
    `${message} ${String((cause as { cause?: unknown })?.cause ?? '')}`,
  );
  return new OsirisError(
    ErrorCodes.PROVIDER_FAILED,
    `The model provider failed (${model}): ${shorten(message)}`,
    {
      hint: unreachable
        ? `cannot reach ${settings.baseUrl ?? 'the provider'}; is the server running and the URL right?`
        : 'try again; if it keeps failing, check the provider settings (osiris chat --help)',
      retryable: unreachable,
      details: { model },
      cause: error,
    },
  );
}

function providerMessage(error: APICallError): string {
  // Providers put the useful sentence in the JSON body: {"error":{"message":…}}.
  try {
    const body = JSON.parse(error.responseBody ?? '') as {
      error?: { message?: unknown } | string;
      message?: unknown;
    };
    if (typeof body.error === 'object' && typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: the SDK's own message says what happened.
  }
  return error.message;
}

function hintForStatus(status: number | undefined, settings: ModelSettings): string {
  const key = settings.keyVariable ?? 'the API key variable';
  if (status === 401 || status === 403) return `check ${key}: the provider rejected the key`;
  if (status === 404) return `check the model name "${settings.model}" and the base URL`;
  if (status === 429) return 'the provider is rate-limiting; wait a moment and say "retry"';
  if (status !== undefined && status >= 500)
    return 'the provider had a problem; say "retry" to send your message again';
  return 'say "retry" to send your message again, or rephrase it';
}

function shorten(text: string, limit = 300): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > limit ? `${single.slice(0, limit - 1)}…` : single;
}
