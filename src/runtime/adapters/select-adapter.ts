import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { ExecutionAdapter } from './adapter.js';
import type { E2bAdapterOptions } from './e2b/e2b-adapter.js';
import { createE2bAdapterFromSettings, type E2bCliSettings } from './e2b/e2b-settings.js';
import { createLocalAdapter } from './local.js';
import { createSubprocessAdapter } from './subprocess.js';

/** What the CLI knows when it picks an adapter; each adapter takes what concerns it. */
export interface AdapterSettings {
  /** Cancels an adapter that is still preparing (the e2b sandbox is created then). */
  signal?: AbortSignal;
  e2b?: E2bCliSettings;
  /** Progress and warnings outside the event stream (the e2b sandbox's life). */
  report?: E2bAdapterOptions['report'];
}

const ADAPTERS: Record<string, (settings: AdapterSettings) => ExecutionAdapter> = {
  local: () => createLocalAdapter(),
  subprocess: () => createSubprocessAdapter(),
  e2b: ({ e2b = {}, signal, report }) =>
    createE2bAdapterFromSettings(e2b, { ...(signal ? { signal } : {}), ...(report ? { report } : {}) }),
};

export function selectAdapter(name: string, settings: AdapterSettings = {}): ExecutionAdapter {
  const create = ADAPTERS[name];
  if (!create) {
    throw new OsirisError(ErrorCodes.ADAPTER_UNAVAILABLE, `Unknown execution adapter '${name}'.`, {
      hint: `Available adapters: ${Object.keys(ADAPTERS).join(', ')}.`,
    });
  }
  return create(settings);
}
