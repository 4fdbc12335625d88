/** `osiris://discovery/@mysql.movies`: the cached profile of a connection. */
export function discoveryResourceUri(connection: string): string {
  return `osiris://discovery/${encodeURIComponent(connection).replace(/%40/g, '@')}`;
}

/** `osiris://runs/<run_id>`: the summary of one run. */
export function runResourceUri(runId: string): string {
  return `osiris://runs/${encodeURIComponent(runId)}`;
}

/** `osiris://aiop/<run_id>`: the AI Operation Package core of one run. */
export function aiopResourceUri(runId: string): string {
  return `osiris://aiop/${encodeURIComponent(runId)}`;
}

export const AIOP_URI_TEMPLATE = 'osiris://aiop/{run_id}';
export const DISCOVERY_URI_TEMPLATE = 'osiris://discovery/{connection}';
export const RUN_URI_TEMPLATE = 'osiris://runs/{run_id}';
