import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';
import { relativeToProject } from '../project-relative.js';

export const connectionsDoctorTool = defineTool({
  name: 'connections_doctor',
  title: 'Check connections',
  description:
    'Check that each connection resolves (every ${VAR} it reads is set) and, for families with a probe, ' +
    'that the server is reachable and accepts the credentials. Reports status ok | unchecked | ' +
    'misconfigured | failed per connection with problems and hints. Never returns secret values.',
  input: z.strictObject({
    connection: z
      .string()
      .optional()
      .describe('check only this connection, e.g. "@mysql.movies" (or "@mysql" for the default alias)'),
    timeout_ms: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .optional()
      .describe('give up on a connectivity check after this many milliseconds (default 15000)'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(args, { context, signal }) {
    const connections = await import('../../connections/index.js');
    const { builtins } = await import('../../composition/builtins.js');
    const { projectSpecs } = await import('../../composition/project-specs.js');
    const config = connections.loadConnections({ cwd: context.projectDir, env: context.env });
    const report = await connections.runConnectionsDoctor(config, {
      secretNames: connections.secretNamesFromSpecs(projectSpecs(context.projectDir).specs),
      probes: builtins.doctorProbes,
      signal,
      ...(args.connection === undefined ? {} : { ref: args.connection }),
      ...(args.timeout_ms === undefined ? {} : { timeoutMs: args.timeout_ms }),
    });
    return {
      ok: report.exitCode === 0,
      file: report.file ? relativeToProject(context.projectDir, report.file) : null,
      results: report.results,
    };
  },
});
