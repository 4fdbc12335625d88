import path from 'node:path';
import { ErrorCodes, isOsirisError, OsirisError } from '../spec/errors.js';
import { Redactor } from '../util/redactor.js';
import { formatConnectionRef } from './connection-ref.js';
import type { DoctorProbe } from './doctor-probe.js';
import { collectSecretValues, findMissingVariables, resolveConnection } from './resolve-connection.js';
import { selectConnection } from './select-connection.js';
import type { ConnectionsConfig, RawConnection } from './types.js';

export type { DoctorProbe, DoctorProbeContext, DoctorProbeResult } from './doctor-probe.js';

/** ok: reachable; unchecked: configured but no probe for the family yet; misconfigured: fix the file or env; failed: probe failed. */
export type DoctorStatus = 'ok' | 'unchecked' | 'misconfigured' | 'failed';

export interface DoctorProblem {
  code: string;
  message: string;
  hint?: string;
  variable?: string;
  field?: string;
}

export type ConnectivityResult =
  | { status: 'ok'; serverVersion: string; latencyMs: number }
  | { status: 'failed'; code: string; message: string; hint?: string }
  | { status: 'unavailable'; message: string }
  | { status: 'skipped'; message: string };

export interface DoctorResult {
  ref: string;
  family: string;
  alias: string;
  isDefault: boolean;
  status: DoctorStatus;
  problems: DoctorProblem[];
  connectivity: ConnectivityResult;
}

export interface DoctorReport {
  file?: string;
  projectDir: string;
  results: DoctorResult[];
  /**
   * 0 all fine, 2 some connection is misconfigured (fix the file or the environment), 3 some
   * check failed (unreachable server, wrong password, missing database): the same code a failed
   * step gets from `osiris run`, never 1, which means a bug in Osiris.
   */
  exitCode: number;
}

export interface DoctorOptions {
  /** Check only this connection (`@family.alias` or `@family`). */
  ref?: string;
  /** Secret field names from component specs, on top of the common ones. */
  secretNames?: readonly string[];
  /** family → its connectivity check, loaded only when a connection of that family is checked. */
  probes: Readonly<Record<string, () => Promise<DoctorProbe>>>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Resolve each connection's variables and, where the family has a probe, check it is reachable. */
export async function runConnectionsDoctor(
  config: ConnectionsConfig,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const selected = options.ref ? [selectConnection(config, options.ref)] : config.connections;
  const results = await Promise.all(selected.map((raw) => checkConnection(raw, config, options)));
  const exitCode = results.some((result) => result.status === 'misconfigured')
    ? 2
    : results.some((result) => result.status === 'failed')
      ? 3
      : 0;
  return { ...(config.file ? { file: config.file } : {}), projectDir: config.projectDir, results, exitCode };
}

async function checkConnection(
  raw: RawConnection,
  config: ConnectionsConfig,
  options: DoctorOptions,
): Promise<DoctorResult> {
  const base = {
    ref: formatConnectionRef(raw.family, raw.alias),
    family: raw.family,
    alias: raw.alias,
    isDefault: raw.isDefault,
  };
  const missing = findMissingVariables(raw, config.env);
  if (missing.length > 0) {
    const dotenv = path.join(config.projectDir, '.env');
    return {
      ...base,
      status: 'misconfigured',
      problems: missing.map(({ variable, field }) => ({
        code: ErrorCodes.ENV_VAR_MISSING,
        message: `environment variable ${variable} is not set (field "${field}")`,
        hint: `export ${variable}=… or add it to ${dotenv}`,
        variable,
        field,
      })),
      connectivity: { status: 'skipped', message: 'not checked until the configuration is fixed' },
    };
  }

  const resolved = resolveConnection(raw, config.env, { secretNames: options.secretNames ?? [] });
  const loadProbe = options.probes[raw.family];
  if (!loadProbe) {
    return {
      ...base,
      status: 'unchecked',
      problems: [],
      connectivity: {
        status: 'unavailable',
        message: `no connectivity check exists for the ${raw.family} family`,
      },
    };
  }

  const secrets = collectSecretValues(resolved);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const probe = await loadProbe();
    const result = await untilAborted(
      probe(resolved, signal, { projectDir: config.projectDir }),
      signal,
      base.ref,
    );
    return { ...base, status: 'ok', problems: [], connectivity: { status: 'ok', ...result } };
  } catch (error) {
    // Drivers echo connection strings in their messages: scrub before anything is kept.
    const code = isOsirisError(error) ? error.code : ErrorCodes.CONNECTION_FAILED;
    const redactor = new Redactor(secrets);
    const message = redactor.text(error instanceof Error ? error.message : String(error));
    const hint =
      isOsirisError(error) && error.hint ? withoutDoctorAdvice(redactor.text(error.hint)) : undefined;
    return {
      ...base,
      status: 'failed',
      problems: [],
      connectivity: { status: 'failed', code, message, ...(hint ? { hint } : {}) },
    };
  }
}

/**
 * Driver hints end with "run `osiris connections doctor`" for users who met the error in a run;
 * inside the doctor that advice points at the command already running, so it is dropped.
 */
export function withoutDoctorAdvice(hint: string): string | undefined {
  const kept = hint
    .split(/(?<=[.;?!])\s+/)
    .filter((sentence) => !sentence.includes('osiris connections doctor'))
    .join(' ')
    .trim()
    .replace(/[;,]$/, '');
  return kept === '' ? undefined : kept;
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal, ref: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
      reject(
        new OsirisError(
          timedOut ? ErrorCodes.TIMEOUT : ErrorCodes.CANCELLED,
          timedOut ? `${ref}: no answer before the timeout` : `${ref}: check cancelled`,
          { retryable: timedOut },
        ),
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
