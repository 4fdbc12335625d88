import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { RunStatusFile } from '../../spec/events.js';
import type { AgentState } from '../agent-state.js';
import type { ChatEvent, RunSummary } from '../chat-events.js';
import type { Proposal } from '../session/session-types.js';
import type { ApprovedProposal } from './decide-proposal.js';
import { replacePipelineFile, savePipelineFile } from './save-pipeline-file.js';

export interface RunApprovedOptions {
  projectDir: string;
  env: Record<string, string | undefined>;
  sessionId: string;
  /** Made only by approveAndRun, after the approval is recorded. */
  approval: ApprovedProposal;
  signal?: AbortSignal;
  emit: (event: ChatEvent) => void;
  enterState: (state: AgentState) => void;
}

/**
 * The only path from a proposal to a run, taken by code after a recorded approval (the type
 * admits nothing else): save the approved OML under pipelines/, compile it, run it, write the HTML
 * report. Compile and run failures throw (OsirisError); a run that fails in a step returns its
 * summary with `status: 'failed'`.
 */
export async function runApprovedPipeline(options: RunApprovedOptions): Promise<RunSummary> {
  const { projectDir, emit, enterState } = options;
  const { proposal } = options.approval;
  enterState('COMPILE');
  const file = proposal.file
    ? await replacePipelineFile(projectDir, proposal.file, proposal.oml, options.sessionId)
    : await savePipelineFile(projectDir, proposal.name, proposal.oml, options.sessionId);
  emit({ type: 'notice', level: 'info', text: `saved ${file}` });
  const { runTarget } = await import('../../runtime/run-target.js');
  const { createProjectRegistry } = await import('../../composition/builtins.js');
  const result = await runTarget({
    registryFor: createProjectRegistry,
    target: file,
    cwd: projectDir,
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
    onCompiled: () => enterState('RUN'),
    onEvent: (event) => emit({ type: 'run-event', event }),
    onProgress: (stepId, rows) => emit({ type: 'run-progress', stepId, rows }),
  });
  if (result.kind !== 'run') {
    throw new OsirisError(ErrorCodes.INTERNAL, 'The runner returned a dry run where a run was asked for.');
  }
  const summary = summarizeRun(result.status, proposal, file);
  const reportPath = await writeReport(projectDir, options.env, result.status.run_id, emit);
  return reportPath ? { ...summary, reportPath } : summary;
}

export function summarizeRun(status: RunStatusFile, proposal: Readonly<Proposal>, file: string): RunSummary {
  const rowsOf = (stepId: string) => status.steps.find((step) => step.id === stepId)?.rows ?? 0;
  return {
    pipeline: status.pipeline,
    file,
    status: status.status,
    runId: status.run_id,
    totalRows: status.total_rows,
    durationMs: status.duration_ms ?? 0,
    steps: status.steps.map((step) => ({ id: step.id, status: step.status, rows: step.rows })),
    outputs: proposal.writes.map((item) => ({
      stepId: item.stepId,
      target: item.connection ? `${item.connection} ${item.target}` : item.target,
      rows: rowsOf(item.stepId),
    })),
    ...(status.error
      ? {
          error: {
            code: status.error.code,
            message: status.error.message,
            ...(status.error.hint ? { hint: status.error.hint } : {}),
            ...(status.error.step_id ? { stepId: status.error.step_id } : {}),
          },
        }
      : {}),
    sessionDir: status.session_dir,
  };
}

/** The run's HTML report; a report that cannot be written is a warning, the run still counts. */
async function writeReport(
  projectDir: string,
  env: Record<string, string | undefined>,
  runId: string,
  emit: (event: ChatEvent) => void,
): Promise<string | undefined> {
  try {
    const { writeReports } = await import('../../report/write-reports.js');
    const { projectRedaction } = await import('../../composition/project-redaction.js');
    const written = await writeReports({
      projectDir,
      redaction: projectRedaction(projectDir, env),
      selector: { runId },
    });
    return written.reports[0]?.path;
  } catch (error) {
    emit({
      type: 'notice',
      level: 'warning',
      text: `the HTML report could not be written: ${error instanceof Error ? error.message : String(error)}`,
      hint: `osiris logs html ${runId}`,
    });
    return undefined;
  }
}
