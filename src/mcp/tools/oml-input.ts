import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { McpContext } from '../mcp-context.js';
import { existingPipelineFile } from '../pipeline-files.js';

/** Arguments shared by the tools that compile or run a pipeline. */
export const paramsArgument = z
  .record(z.string(), z.string())
  .optional()
  .describe('pipeline parameters, like --param name=value: { "since": "2024-01-01" }');
export const profileArgument = z.string().min(1).optional().describe('use the params of profiles.<name>');

/** OML text given inline or as a pipeline in the project; exactly one of the two. */
export async function readOmlArgument(
  context: McpContext,
  args: { oml?: string | undefined; pipeline?: string | undefined },
): Promise<{ text: string; file: string }> {
  if ((args.oml === undefined) === (args.pipeline === undefined)) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      'Give exactly one of `oml` (the YAML text) and `pipeline` (a saved pipeline).',
      {
        hint: 'e.g. { "pipeline": "movie-ratings" } or { "oml": "oml_version: \\"0.1.0\\"\\nname: ..." }',
      },
    );
  }
  if (args.oml !== undefined) return { text: args.oml, file: '<oml>' };
  const file = await existingPipelineFile(context.projectDir, args.pipeline ?? '');
  return { text: await readFile(file.absolute, 'utf8'), file: file.relative };
}
