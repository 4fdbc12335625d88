import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PROJECT_COMPONENTS_FOLDER, SPEC_FILE } from '../../../registry/project-components.js';
import { OsirisError } from '../../../spec/errors.js';
import type { CompiledPipeline } from '../../../spec/manifest.js';
import { projectRelativePath, resolveProjectPath } from '../../../util/project-path.js';
import type { WorkerConnections } from '../../worker/run-steps-on-worker.js';

export interface ProjectInputFile {
  /** Project-relative, `/`-separated: the same path the step config names. */
  path: string;
  absolute: string;
}

/**
 * The project files a run reads and a remote worker therefore needs: the `path` of each read
 * step, else the `path` field of its connection (DuckDB and SQLite sources), exactly the file the
 * driver opens, plus the folder of each project component a step uses (`components/<name>/`, so
 * the worker can load its driver). Nothing else of the project leaves the machine (no .env, no other data). A path
 * that leads outside the project or does not exist is left out, so the step fails remotely with
 * the same error as locally; a link that resolves outside the project is refused and reported,
 * because uploading is stricter than reading in place.
 */
export async function projectInputFiles(
  compiled: CompiledPipeline,
  connections: WorkerConnections,
  projectDir: string,
): Promise<{ files: ProjectInputFile[]; refused: string[] }> {
  const realProject = await realpath(projectDir);
  const files = new Map<string, ProjectInputFile>();
  const refused: string[] = [];
  for (const step of compiled.manifest.steps) {
    if (step.mode !== 'read') continue;
    const config = compiled.cfg[step.id] ?? {};
    const configured =
      typeof config.path === 'string' ? config.path : connectionPath(config, step.connection, connections);
    if (configured === undefined) continue;
    let absolute: string;
    try {
      absolute = resolveProjectPath(projectDir, configured);
    } catch (error) {
      // A link inside the project that leads out of it is refused here and said so; a path
      // that is outside as written never passes compile (OML066).
      if (error instanceof OsirisError && error.details.real_path !== undefined) refused.push(configured);
      continue;
    }
    const path = projectRelativePath(projectDir, absolute);
    if (files.has(path) || refused.includes(path)) continue;
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) continue;
    const real = relative(realProject, await realpath(absolute));
    if (real === '..' || real.startsWith(`..${sep}`)) refused.push(path);
    else files.set(path, { path, absolute });
  }
  for (const component of new Set(compiled.manifest.steps.map((step) => step.component))) {
    const folder = join(projectDir, PROJECT_COMPONENTS_FOLDER, component);
    const spec = await stat(join(folder, SPEC_FILE)).catch(() => undefined);
    if (!spec?.isFile()) continue;
    for (const absolute of await folderFiles(folder)) {
      const path = projectRelativePath(projectDir, absolute);
      const real = relative(realProject, await realpath(absolute));
      if (real === '..' || real.startsWith(`..${sep}`)) refused.push(path);
      else files.set(path, { path, absolute });
    }
  }
  return { files: [...files.values()], refused };
}

/** Files of a component folder, at any depth, without hidden entries and node_modules. */
async function folderFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await folderFiles(path)));
    else if (entry.isFile() || entry.isSymbolicLink()) found.push(path);
  }
  return found.sort();
}

function connectionPath(
  config: Record<string, unknown>,
  stepConnection: string | undefined,
  connections: WorkerConnections,
): string | undefined {
  const ref = typeof config.connection === 'string' ? config.connection : stepConnection;
  const entry = ref === undefined ? undefined : connections[ref];
  if (!entry || !('connection' in entry)) return undefined;
  const path = entry.connection.fields.path;
  return typeof path === 'string' ? path : undefined;
}
