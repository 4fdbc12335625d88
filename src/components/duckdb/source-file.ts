import { stat } from 'node:fs/promises';
import type { StepContext } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { projectRelativePath, resolveProjectPath } from '../../util/project-path.js';

/**
 * The database file an embedded-database extractor reads: `config.path`, else the `path` field of
 * the step's connection; resolved inside the project folder and required to exist.
 */
export async function resolveSourceFile(
  ctx: StepContext,
  config: Record<string, unknown>,
  component: string,
): Promise<string> {
  const fromConfig = typeof config.path === 'string' ? config.path : undefined;
  const fromConnection =
    typeof ctx.connection?.fields.path === 'string' ? ctx.connection.fields.path : undefined;
  const configured = fromConfig ?? fromConnection;
  if (configured === undefined) {
    throw new OsirisError(ErrorCodes.USAGE, `${component} needs a database file.`, {
      hint: 'Set `path: data/movies.db` in the step config, or `connection:` naming a connection with a `path` field.',
    });
  }
  const file = resolveProjectPath(
    ctx.projectDir,
    configured,
    fromConfig === undefined ? 'connection path' : 'path',
  );
  await assertFileExists(ctx.projectDir, file);
  return file;
}

/** E_FILE_NOT_FOUND (with the project-relative path) unless `file` is an existing file. */
export async function assertFileExists(projectDir: string, file: string): Promise<void> {
  const found = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new OsirisError(
      ErrorCodes.SOURCE_READ_FAILED,
      `Cannot read ${projectRelativePath(projectDir, file)}: ${error.message}`,
      {
        cause: error,
      },
    );
  });
  if (!found?.isFile()) {
    const shown = projectRelativePath(projectDir, file);
    throw new OsirisError(ErrorCodes.FILE_NOT_FOUND, `File not found: ${shown}`, {
      hint: 'Paths are relative to the project folder; check the spelling, or create the file first.',
      details: { path: shown },
    });
  }
}
