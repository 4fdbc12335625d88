import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { defineTool } from '../osiris-tool.js';
import { pipelineFileForName } from '../pipeline-files.js';

export const omlSaveTool = defineTool({
  name: 'oml_save',
  title: 'Save a pipeline',
  description:
    'Validate OML and save it as pipelines/<name>.yaml in the project (written atomically). The name ' +
    "defaults to the pipeline's `name`. Invalid OML is refused with every problem listed. An existing " +
    'file with different content is replaced only with overwrite: true. Saving never runs anything.',
  input: z.strictObject({
    oml: z.string().min(1).describe('the complete OML YAML text'),
    name: z
      .string()
      .min(1)
      .optional()
      .describe('file name without .yaml (kebab-case or snake_case); default: the OML name'),
    overwrite: z.boolean().optional().describe('replace an existing pipeline file with other content'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(args, { context }) {
    // A name that escapes the project is refused before anything else is looked at.
    if (args.name !== undefined) pipelineFileForName(context.projectDir, args.name);
    const { validateOml } = await import('../../oml/index.js');
    const { createDefaultRegistry } = await import('../../composition/builtins.js');
    const { loadConnections } = await import('../../connections/index.js');
    const { document, diagnostics } = validateOml(args.oml, {
      file: '<oml>',
      registry: createDefaultRegistry(),
      connections: loadConnections({ cwd: context.projectDir, env: context.env }),
      env: context.env,
      projectDir: context.projectDir,
    });
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (!document || errors.length > 0) {
      throw new OsirisError(
        ErrorCodes.INVALID_OML,
        `The OML has ${errors.length} error(s); nothing was saved.`,
        {
          hint: 'fix every diagnostic (each has a hint), check with oml_validate, then save again',
          details: { diagnostics },
        },
      );
    }
    const target = pipelineFileForName(context.projectDir, args.name ?? document.name);
    const content = args.oml.endsWith('\n') ? args.oml : `${args.oml}\n`;
    const previous = existsSync(target.absolute) ? await readFile(target.absolute, 'utf8') : undefined;
    if (previous !== undefined && previous !== content && !args.overwrite) {
      throw new OsirisError(ErrorCodes.USAGE, `${target.relative} already exists with other content.`, {
        hint: 'ask the user whether to replace it, then call oml_save again with overwrite: true (or choose another name)',
        details: { path: target.relative },
      });
    }
    const { writeFileAtomic } = await import('../../util/atomic-file.js');
    await writeFileAtomic(target.absolute, content);
    return {
      saved: target.relative,
      pipeline: document.name,
      action: previous === undefined ? 'created' : previous === content ? 'unchanged' : 'replaced',
      bytes: Buffer.byteLength(content, 'utf8'),
      warnings: diagnostics.filter((diagnostic) => diagnostic.severity === 'warning'),
      next: `compile it with pipeline_compile { "pipeline": "${target.relative}" }`,
    };
  },
});
