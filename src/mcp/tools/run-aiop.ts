import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { defineTool } from '../osiris-tool.js';
import { relativeToProject } from '../project-relative.js';
import { aiopResourceUri } from '../resource-uris.js';

export const runAiopTool = defineTool({
  name: 'run_aiop',
  title: 'AI Operation Package of a run',
  description:
    'The AI Operation Package (AIOP) of a run: run facts, the DAG with each step’s component and redacted ' +
    'config, rows, durations, errors with codes, hints and where the cause lies (pipeline or environment), ' +
    'output schema and sample rows, checks, incremental windows, the delta against the previous successful ' +
    'run of the same pipeline, and a narrative citing evidence ids (ev.<kind>.<step>.<name>.<ms>). ' +
    'Deterministic and secret-free; the core stays under max_core_bytes (default 300000), the rest is in ' +
    'NDJSON annex files. Give a run_id (from runs_list) or last: true. Also written to .osiris/aiop/<run_id>/.',
  input: z.strictObject({
    run_id: z.string().min(1).optional().describe('the run, e.g. "run_20250101T120000000Z_a1b2c3"'),
    last: z.boolean().optional().describe('the most recent run instead of a run_id'),
    samples: z.boolean().optional().describe('false leaves row samples out (default true)'),
    max_core_bytes: z.number().int().min(10_000).max(5_000_000).optional().describe('size bound of the core'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { context }) {
    if (args.run_id === undefined && args.last !== true) {
      throw new OsirisError(ErrorCodes.USAGE, 'Which run? Give run_id or last: true.', {
        hint: 'runs_list shows recent run ids',
      });
    }
    const { exportAiop } = await import('../../observability/aiop/index.js');
    const { projectRedaction } = await import('../../composition/project-redaction.js');
    const exported = await exportAiop({
      projectDir: context.projectDir,
      redaction: projectRedaction(context.projectDir, context.env),
      selector: args.run_id === undefined ? { last: true } : { runId: args.run_id },
      ...(args.samples === false ? { samples: false } : {}),
      ...(args.max_core_bytes !== undefined ? { maxCoreBytes: args.max_core_bytes } : {}),
    });
    return {
      package_dir: relativeToProject(context.projectDir, exported.dir),
      resource_uri: aiopResourceUri(exported.runId),
      aiop: exported.package.core as unknown as Record<string, unknown>,
    };
  },
});
