import type { ComponentSpec, OmlMode } from '../spec/component.js';
import { checkConfigPath } from '../util/protected-paths.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { isRecord } from './values.js';

export interface StepPathInput {
  index: number;
  spec: ComponentSpec;
  mode: OmlMode | undefined;
  /** Config with parameters substituted. */
  config: Record<string, unknown>;
  /** Config keys already reported (e.g. an unresolved param), so they are not judged again. */
  reported: ReadonlySet<string>;
  /** Absolute project folder; absolute paths are judged against it. */
  projectDir?: string;
  /** Absolute path of the pipeline file, which a writer may not replace. */
  pipelineFile?: string;
}

/**
 * The file a step reads or writes (`config.path`), checked before any data moves: inside the
 * project folder, and, for writers, not one of the project's own files. The run refuses the same
 * paths (E_PATH_ESCAPE), but only after the upstream steps have done their work.
 */
export function validateStepPaths(input: StepPathInput, collector: DiagnosticCollector): void {
  const properties = isRecord(input.spec.configSchema.properties) ? input.spec.configSchema.properties : {};
  const value = input.config.path;
  if (!('path' in properties) || typeof value !== 'string' || value === '' || input.reported.has('path'))
    return;
  // A `path` declared as a URI reference is part of a URL (rest.extractor's `/orders`), not a file.
  if ((properties.path as { format?: unknown } | undefined)?.format === 'uri-reference') return;
  const write = input.mode === 'write';
  const problem = checkConfigPath(value, {
    write,
    ...(input.projectDir === undefined ? {} : { projectDir: input.projectDir }),
    ...(input.pipelineFile === undefined ? {} : { pipelineFile: input.pipelineFile }),
  });
  if (!problem) return;
  const at = ['steps', input.index, 'config', 'path'];
  const name = value.split(/[\\/]/).filter(Boolean).pop() ?? 'file';
  const suggestion = write ? `output/${name}` : `data/${name}`;
  if (problem.kind === 'outside') {
    collector.error(OmlCodes.PATH_OUTSIDE_PROJECT, at, `\`path: ${value}\` ${problem.reason}`, {
      hint:
        `pipelines only ${write ? 'write' : 'read'} files inside the project folder${input.projectDir ? ` (${input.projectDir})` : ''}: ` +
        `use a relative path such as \`${suggestion}\`${write ? ' and copy the file where it must go after the run' : ', after copying the file there'}`,
    });
  } else if (problem.kind === 'protected') {
    collector.error(OmlCodes.PATH_PROTECTED, at, `\`path: ${value}\` would replace ${problem.reason}`, {
      hint: 'write outputs to a folder of their own, e.g. `output/result.csv`; Osiris never lets a pipeline replace its own files',
    });
  } else {
    collector.warning(OmlCodes.PATH_ABSOLUTE, at, `\`path: ${value}\` is absolute`, {
      hint: 'use a path relative to the project folder, so the pipeline runs the same from any folder, machine or sandbox',
    });
  }
}
