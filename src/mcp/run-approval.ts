import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { WriteTarget } from './compile-project-pipeline.js';
import type { ToolCall } from './osiris-tool.js';

/** How a run that writes data was approved: the human answered the server, or the model set the flag. */
export type RunApproval = 'elicitation' | 'approved_flag';

/**
 * The gate before a pipeline that writes data runs. The model must pass `approved: true` (which it
 * may set only after the human said yes in the conversation). When the client supports MCP
 * elicitation, the server then asks the human itself, and only their accept runs the pipeline;
 * otherwise the flag, with the tool's `destructiveHint` for the client's own confirmation, is the
 * gate. A pipeline without write steps needs neither. Throws E_APPROVAL_REQUIRED when not approved.
 */
export async function approveRun(
  call: Pick<ToolCall, 'confirm'>,
  pipeline: string,
  writes: readonly WriteTarget[],
  approvedFlag: boolean | undefined,
): Promise<RunApproval | undefined> {
  if (writes.length === 0) return undefined;
  const targets = writes.map(describeWrite);
  if (approvedFlag !== true) {
    throw new OsirisError(
      ErrorCodes.APPROVAL_REQUIRED,
      `Not run: pipeline ${pipeline} writes data (${targets.join('; ')}) and needs the user's approval.`,
      {
        hint:
          'Show the user what the pipeline reads and writes and ask whether to run it. Only after they ' +
          'explicitly say yes, call pipeline_run again with approved: true.',
        details: { pipeline, writes },
      },
    );
  }
  if (!call.confirm) return 'approved_flag';
  let answer: Awaited<ReturnType<NonNullable<ToolCall['confirm']>>>;
  try {
    answer = await call.confirm(
      `Run pipeline ${pipeline} now? It writes:\n${targets.map((target) => `  • ${target}`).join('\n')}\n` +
        'The assistant asked to run it. Accept to run it now; decline and nothing runs.',
    );
  } catch (error) {
    throw new OsirisError(
      ErrorCodes.APPROVAL_REQUIRED,
      `Not run: the user could not be asked to confirm running pipeline ${pipeline} (${error instanceof Error ? error.message : String(error)}).`,
      {
        hint: 'Tell the user the confirmation did not reach them; call pipeline_run again only if they ask you to.',
        details: { pipeline, writes, asked: 'elicitation' },
      },
    );
  }
  if (answer === 'accept') return 'elicitation';
  throw new OsirisError(
    ErrorCodes.APPROVAL_REQUIRED,
    `Not run: asked directly, the user ${answer === 'decline' ? 'declined' : 'dismissed the request'} to run pipeline ${pipeline}.`,
    {
      hint:
        'Do not call pipeline_run for this pipeline again unless the user asks you to; ask what they ' +
        'want to change instead.',
      details: { pipeline, writes, asked: 'elicitation', answer },
    },
  );
}

function describeWrite(write: WriteTarget): string {
  const where =
    write.path ?? (write.table ? `${write.connection ?? ''} table ${write.table}`.trim() : write.component);
  return `${write.step} → ${where}${write.write_mode ? ` (${write.write_mode})` : ''}`;
}
