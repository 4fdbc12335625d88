import { z } from 'zod';
import { withObviousChecks } from '../proposal/obvious-checks.js';
import { defineAgentTool } from './agent-tool.js';

export const proposePipelineTool = defineAgentTool({
  name: 'propose_pipeline',
  description:
    'Show a complete OML pipeline to the user for approval. It is validated first; if it is invalid you get ' +
    'the errors back and must fix them. Nothing runs until the user approves: never claim a proposed ' +
    'pipeline has run. Call it again with the full revised OML when the user asks for changes. Extractors of ' +
    'discovered tables get unique + not_null checks on their primary key and row_count min 1 when they have no checks.',
  inputSchema: z.object({
    oml: z.string().min(1).describe('the complete OML YAML document'),
    summary: z.string().optional().describe('one or two sentences on what the pipeline does'),
  }),
  state: 'OML_SYNTHESIS',
  label: () => 'proposing pipeline',
  run: async (input, context) => {
    // Primary keys unique and not null, a non-empty source: added from discovery where missing.
    const oml = withObviousChecks(input.oml, context.session.context.connections);
    const result = context.proposals.propose(oml, input.summary);
    const summary =
      result.status === 'awaiting_approval'
        ? `${result.pipeline} (awaiting approval)`
        : `invalid: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`;
    return { result, summary, ok: result.status === 'awaiting_approval' };
  },
});
