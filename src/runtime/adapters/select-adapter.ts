import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { ExecutionAdapter } from './adapter.js';
import { createLocalAdapter } from './local.js';
import { createSubprocessAdapter } from './subprocess.js';

const ADAPTERS: Record<string, () => ExecutionAdapter> = {
  local: () => createLocalAdapter(),
  subprocess: () => createSubprocessAdapter(),
};

export function selectAdapter(name: string): ExecutionAdapter {
  const create = ADAPTERS[name];
  if (!create) {
    throw new OsirisError(ErrorCodes.ADAPTER_UNAVAILABLE, `Unknown execution adapter '${name}'.`, {
      hint: `Available adapters: ${Object.keys(ADAPTERS).join(', ')}.`,
    });
  }
  return create();
}
