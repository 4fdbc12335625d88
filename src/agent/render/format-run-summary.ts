import pc from 'picocolors';
import { formatCount, formatDuration } from '../../report/format.js';
import type { RunSummary } from '../chat-events.js';

/** The end of an approved run: outcome, rows, outputs, where the report and logs are. */
export function formatRunSummary(summary: RunSummary): string {
  const out: string[] = [];
  const head =
    summary.status === 'success'
      ? pc.green(`✔ ${summary.pipeline} ran successfully`)
      : summary.status === 'cancelled'
        ? pc.yellow(`■ ${summary.pipeline} was cancelled`)
        : pc.red(`✖ ${summary.pipeline} failed`);
  out.push(`${head}  ${formatCount(summary.totalRows)} rows  ${pc.dim(formatDuration(summary.durationMs))}`);
  if (summary.error) {
    const where = summary.error.stepId ? ` in step ${summary.error.stepId}` : '';
    out.push(`  ${pc.red(summary.error.code)}${where}: ${summary.error.message}`);
    if (summary.error.hint) out.push(`  ${pc.cyan('hint:')} ${summary.error.hint}`);
  }
  for (const output of summary.outputs) {
    out.push(`  ${pc.magenta('wrote')}  ${output.target}  ${formatCount(output.rows)} rows`);
  }
  out.push(`  pipeline: ${summary.file}`);
  out.push(`  run:      ${summary.runId}`);
  out.push(
    summary.reportPath
      ? `  report:   ${summary.reportPath}`
      : `  report:   osiris logs html ${summary.runId}`,
  );
  return out.join('\n');
}
