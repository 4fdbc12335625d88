import { z } from 'zod';
import { diagnosticsForModel } from '../proposal/check-oml.js';
import { defineAgentTool } from './agent-tool.js';

export const validateOmlTool = defineAgentTool({
  name: 'validate_oml',
  description:
    'Check an OML pipeline (YAML text) against the component specs and the configured connections ' +
    'without showing it to the user. Returns every error with its line and a hint.',
  inputSchema: z.object({ oml: z.string().min(1).describe('the complete OML YAML document') }),
  state: 'OML_SYNTHESIS',
  label: () => 'validating OML',
  run: async (input, context) => {
    const check = context.proposals.validate(input.oml);
    const valid = check.document !== undefined && check.errors.length === 0;
    return {
      result: {
        valid,
        errors: diagnosticsForModel(check.errors),
        warnings: diagnosticsForModel(check.warnings),
      },
      summary: valid
        ? `valid${check.warnings.length > 0 ? `, ${check.warnings.length} warning${check.warnings.length === 1 ? '' : 's'}` : ''}`
        : `invalid: ${check.errors.length} error${check.errors.length === 1 ? '' : 's'}`,
      ok: valid,
    };
  },
});
