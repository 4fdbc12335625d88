import { ErrorCodes, OsirisError } from '../../../spec/errors.js';
import type { ExecutionAdapter } from '../adapter.js';
import { createE2bAdapter, type E2bAdapterOptions } from './e2b-adapter.js';

/** The `--e2b-*` options of `osiris run`, as typed. */
export interface E2bCliSettings {
  template?: string | undefined;
  /** Sandbox lifetime in seconds. */
  timeout?: string | undefined;
  /** Minimum CPUs. */
  cpu?: string | undefined;
  /** Minimum memory in GB. */
  memory?: string | undefined;
}

/** The e2b adapter for `osiris run`: validates the command-line settings first (E_USAGE). */
export function createE2bAdapterFromSettings(
  settings: E2bCliSettings,
  extra: Pick<E2bAdapterOptions, 'signal' | 'report'> = {},
): ExecutionAdapter {
  const timeout = positive(settings.timeout, '--e2b-timeout', 'seconds');
  const cpu = positive(settings.cpu, '--e2b-cpu', 'CPUs');
  const memory = positive(settings.memory, '--e2b-memory', 'GB');
  if (cpu !== undefined && !Number.isInteger(cpu)) {
    throw new OsirisError(ErrorCodes.USAGE, `--e2b-cpu must be a whole number of CPUs, not ${settings.cpu}.`);
  }
  return createE2bAdapter({
    ...extra,
    ...(settings.template ? { template: settings.template } : {}),
    ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
    ...(cpu !== undefined ? { cpuCount: cpu } : {}),
    ...(memory !== undefined ? { memoryMB: Math.round(memory * 1024) } : {}),
  });
}

function positive(value: string | undefined, option: string, unit: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new OsirisError(ErrorCodes.USAGE, `${option} takes a positive number of ${unit}, not '${value}'.`, {
      hint: `Example: ${option} ${option === '--e2b-timeout' ? '1800' : '4'}`,
    });
  }
  return number;
}
