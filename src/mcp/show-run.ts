import type { McpContext } from './mcp-context.js';
import { summarizeRunDetails } from './run-summary.js';

/** The redacted summary of a run, for run_show and the `osiris://runs/{run_id}` resource. */
export async function showRun(
  context: McpContext,
  selector: { runId: string } | { last: true },
  options: { events: boolean },
): Promise<Record<string, unknown>> {
  const logs = await import('../observability/logs/index.js');
  const found = await logs.findRun(context.projectDir, selector);
  const details = await logs.loadRunDetails(
    found,
    (await import('../composition/project-redaction.js')).projectRedaction(context.projectDir, context.env),
  );
  return summarizeRunDetails(details, context.projectDir, options);
}
