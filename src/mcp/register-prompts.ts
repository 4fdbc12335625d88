import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export const OML_PROMPT_NAME = 'write_oml_pipeline';

/** The prompt a client offers its user ("/write_oml_pipeline") to start building a pipeline. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    OML_PROMPT_NAME,
    {
      title: 'Write an Osiris pipeline',
      description:
        "Teaches the model OML for this project's components and the tool workflow: discover, write, " +
        'validate, save, compile, ask for approval, run.',
      argsSchema: {
        goal: z.string().optional().describe("what the pipeline should do, in the user's words"),
      },
    },
    async ({ goal }) => {
      const { createDefaultRegistry } = await import('../composition/builtins.js');
      const { buildOmlGuide } = await import('./oml-guide.js');
      const text = buildOmlGuide(createDefaultRegistry(), goal ? { goal } : {});
      return {
        description: 'How to write and run an OML pipeline with the Osiris tools',
        messages: [{ role: 'user', content: { type: 'text', text } }],
      };
    },
  );
}
