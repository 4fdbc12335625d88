/** Status names are also CSS class suffixes (`status-failed`); anything unknown is drawn as pending. */
const KNOWN = new Set(['success', 'failed', 'skipped', 'cancelled', 'running', 'pending']);

export function statusClass(status: string): string {
  // A crashed run (its process died) is drawn like a failed one; its label says which.
  if (status === 'crashed') return 'status-failed';
  return `status-${KNOWN.has(status) ? status : 'pending'}`;
}

export function statusLabel(status: string): string {
  switch (status) {
    case 'success':
      return 'Succeeded';
    case 'failed':
      return 'Failed';
    case 'skipped':
      return 'Skipped';
    case 'cancelled':
      return 'Cancelled';
    case 'crashed':
      return 'Crashed';
    case 'running':
      return 'Running';
    case 'pending':
      return 'Not started';
    default:
      return status;
  }
}

const ADAPTERS = new Set(['local', 'subprocess', 'e2b']);

export function adapterClass(adapter: string): string {
  return `adapter-${ADAPTERS.has(adapter) ? adapter : 'other'}`;
}
