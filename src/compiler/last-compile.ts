import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { writeFileAtomicSync } from '../util/atomic-file.js';

/** `.osiris/last_compile.json`: what `osiris run --last-compile` runs. */
export interface LastCompile {
  /** Relative to the project folder, `/`-separated. */
  build_dir: string;
  pipeline: string;
  manifest_fp: string;
  compiled_at: string;
}

export function lastCompileFile(projectDir: string): string {
  return path.join(projectDir, '.osiris', 'last_compile.json');
}

export function writeLastCompile(
  projectDir: string,
  buildDir: string,
  pipeline: string,
  manifestFp: string,
): void {
  const pointer: LastCompile = {
    build_dir: path.relative(projectDir, buildDir).split(path.sep).join('/') || '.',
    pipeline,
    manifest_fp: manifestFp,
    compiled_at: new Date().toISOString(),
  };
  writeFileAtomicSync(lastCompileFile(projectDir), `${JSON.stringify(pointer, null, 2)}\n`);
}

/** The build folder of the last successful compile in this project (absolute). */
export async function readLastCompile(projectDir: string): Promise<string> {
  const file = lastCompileFile(projectDir);
  const hint = 'compile a pipeline first: `osiris compile pipelines/<name>.yaml`';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new OsirisError(ErrorCodes.NO_LAST_COMPILE, `No pipeline has been compiled in ${projectDir} yet`, {
      hint,
      cause: error,
    });
  }
  let pointer: Partial<LastCompile>;
  try {
    pointer = JSON.parse(text) as Partial<LastCompile>;
  } catch (error) {
    throw new OsirisError(ErrorCodes.NO_LAST_COMPILE, `${file} is not valid JSON`, { hint, cause: error });
  }
  if (typeof pointer?.build_dir !== 'string') {
    throw new OsirisError(ErrorCodes.NO_LAST_COMPILE, `${file} does not name a build folder`, { hint });
  }
  const buildDir = path.resolve(projectDir, pointer.build_dir);
  if (!existsSync(path.join(buildDir, 'manifest.yaml'))) {
    throw new OsirisError(
      ErrorCodes.NO_LAST_COMPILE,
      `The last compile points at ${buildDir}, which no longer holds a build`,
      {
        hint,
      },
    );
  }
  return buildDir;
}
