import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IDENTIFIER_PATTERN } from '../oml/values.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { projectRelativePath, resolveProjectPath } from '../util/project-path.js';

export const PIPELINES_FOLDER = 'pipelines';

export interface ProjectFile {
  absolute: string;
  /** Relative to the project folder, `/`-separated: what results show. */
  relative: string;
}

/**
 * Where `oml_save` writes a pipeline: `pipelines/<name>.yaml`. A name that climbs out of the
 * project is E_PATH_ESCAPE; any other name that is not kebab/snake case is E_USAGE.
 */
export function pipelineFileForName(projectDir: string, name: string): ProjectFile {
  const absolute = resolveProjectPath(projectDir, join(PIPELINES_FOLDER, `${name}.yaml`), 'name');
  if (!IDENTIFIER_PATTERN.test(name)) {
    throw new OsirisError(ErrorCodes.USAGE, `"${name}" is not a pipeline name.`, {
      hint: 'use kebab-case or snake_case, e.g. "movies-to-csv"; the file becomes pipelines/<name>.yaml',
      details: { name },
    });
  }
  return { absolute, relative: projectRelativePath(projectDir, absolute) };
}

/**
 * The OML file a tool argument names: a pipeline name (`movie-ratings` → pipelines/movie-ratings.yaml)
 * or a path inside the project. Paths leading outside the project are E_PATH_ESCAPE.
 */
export async function existingPipelineFile(projectDir: string, pipeline: string): Promise<ProjectFile> {
  const absolute = IDENTIFIER_PATTERN.test(pipeline)
    ? pipelineFileForName(projectDir, pipeline).absolute
    : resolveProjectPath(projectDir, pipeline, 'pipeline');
  if (!existsSync(absolute)) {
    const known = await listPipelineNames(projectDir);
    throw new OsirisError(
      ErrorCodes.FILE_NOT_FOUND,
      `No pipeline file ${projectRelativePath(projectDir, absolute)}.`,
      {
        hint:
          known.length > 0
            ? `pipelines in this project: ${known.join(', ')}; or save one first with oml_save`
            : 'save a pipeline first with oml_save, then use its name',
        details: { pipeline },
      },
    );
  }
  return { absolute, relative: projectRelativePath(projectDir, absolute) };
}

/** Names of the `pipelines/*.yaml` files, sorted. */
export async function listPipelineNames(projectDir: string): Promise<string[]> {
  const entries = await readdir(join(projectDir, PIPELINES_FOLDER), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => entry.name.replace(/\.ya?ml$/, ''))
    .sort();
}
