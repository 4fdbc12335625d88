import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { CancelledError, type ErrorCode, ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { Redactor } from '../../util/redactor.js';
import { retryWithBackoff } from '../../util/retry-with-backoff.js';

/** What supabase-js resolves with (it does not throw on HTTP errors). */
export interface RestResponse<T> {
  data: T | null;
  error: { message: string; code?: string; details?: string | null; hint?: string | null } | null;
  status: number;
}

export interface RestCallContext {
  connection: ResolvedConnection;
  /** "reading public.movies", for messages. */
  action: string;
  fallbackCode: ErrorCode;
  signal: AbortSignal;
  /**
   * Whether repeating the request after an ambiguous failure is harmless. An upsert is; an
   * insert is not (the first attempt may have been applied), so it is retried only when the
   * server certainly did nothing (refused connection, 429, 503).
   */
  idempotent: boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: OsirisError }) => void;
  /** Overrides the connection's `connect_retries` (doctor checks make one attempt). */
  retries?: number;
}

/** One REST request with bounded retries of transient failures, failures as OsirisError (keys scrubbed). */
export async function restCall<T>(
  request: () => PromiseLike<RestResponse<unknown>>,
  context: RestCallContext,
): Promise<T> {
  const policy = resolveRetryPolicy(
    context.connection,
    context.retries === undefined ? {} : { retries: context.retries },
  );
  try {
    return await retryWithBackoff(
      async () => {
        const response = await request();
        if (response.error) throw restError(response, context);
        return response.data as T;
      },
      {
        retries: policy.retries,
        initialDelayMs: policy.initialDelayMs,
        maxDelayMs: policy.maxDelayMs,
        signal: context.signal,
        isRetryable: (error) => isOsirisError(error) && error.retryable,
        onRetry: ({ attempt, delayMs, error }) =>
          context.onRetry?.({ attempt, delayMs, error: error as OsirisError }),
      },
    );
  } catch (error) {
    // supabase-js and our backoff both end with an AbortError when the step is cancelled.
    if (context.signal.aborted) {
      throw new CancelledError(`${context.connection.ref}: cancelled while ${context.action}`, {
        cause: error,
      });
    }
    throw error;
  }
}

export function restError(response: RestResponse<unknown>, context: RestCallContext): OsirisError {
  const { connection, action } = context;
  const redactor = new Redactor(
    connection.secretFields
      .map((field) => connection.fields[field])
      .filter((value): value is string => typeof value === 'string'),
  );
  const failure = response.error ?? { message: `HTTP ${response.status}` };
  const message = redactor.text(failure.message);
  const details: Record<string, unknown> = {
    connection: connection.ref,
    status: response.status,
    ...(failure.code ? { code: failure.code } : {}),
  };
  const status = response.status;
  const prefix = `${connection.ref}: the Supabase REST API`;

  if (status === 401) {
    return new OsirisError(ErrorCodes.AUTH_FAILED, `${prefix} rejected the key while ${action}: ${message}`, {
      hint: `Check \`url\` and \`key\` (or \`service_role_key\`) of ${connection.ref}; keys are under Project Settings → API. Run \`osiris connections doctor ${connection.ref}\`.`,
      details,
    });
  }
  if (status === 403 || failure.code === '42501') {
    return new OsirisError(ErrorCodes.AUTH_FAILED, `${prefix} refused ${action}: ${message}`, {
      hint: "The key's role lacks a privilege on the table or row-level security hides it: use the service_role key for pipelines, or grant access.",
      details,
    });
  }
  const refused = /ECONNREFUSED/.test(failure.details ?? '') || /ECONNREFUSED/.test(failure.message);
  const transient = status === 0 || status === 429 || status === 502 || status === 503 || status === 504;
  if (transient) {
    const certainlyNotApplied = refused || status === 429 || status === 503;
    return new OsirisError(ErrorCodes.CONNECTION_FAILED, `${prefix} failed while ${action}: ${message}`, {
      hint: `Check that ${String(connection.fields.url)} is reachable from this machine.`,
      details,
      retryable: context.idempotent || certainlyNotApplied,
    });
  }
  const hint =
    status === 404 || failure.code === 'PGRST205' || failure.code === '42P01'
      ? 'The table is not visible through the API: check its name and schema, and that the schema is exposed (Project Settings → API → Exposed schemas).'
      : failure.hint
        ? redactor.text(failure.hint)
        : undefined;
  return new OsirisError(context.fallbackCode, `${prefix} failed while ${action}: ${message}`, {
    ...(hint ? { hint } : {}),
    details: failure.details ? { ...details, server_detail: redactor.text(failure.details) } : details,
  });
}
