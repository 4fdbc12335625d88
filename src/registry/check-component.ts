import { type ComponentProblem, readProjectComponent } from './project-components.js';
import { importProjectDriver } from './project-driver.js';

/** What `osiris components validate` reports for one component folder. */
export interface ComponentCheck {
  /** Project-relative folder, `components/<name>`. */
  folder: string;
  name?: string;
  problems: ComponentProblem[];
}

/**
 * Everything that can be checked about a component folder without running a step: the spec (as
 * loading does), that its name is not a built-in's, and that its driver file loads and exports a
 * driver (which runs the module's top-level code, as a run would).
 */
export async function checkComponentFolder(
  directory: string,
  projectDir: string,
  builtinNames: ReadonlySet<string>,
): Promise<ComponentCheck> {
  const folder = `components/${directory.split(/[\\/]/).pop() ?? ''}`;
  const { definition, problems } = readProjectComponent(directory, projectDir);
  if (!definition?.origin) return { folder, problems };
  const name = definition.spec.name;
  if (builtinNames.has(name)) {
    problems.push({
      code: 'E_COMPONENT_INVALID',
      message: `${definition.origin.specFile}: the project component ${name} has the name of a built-in component`,
      hint: `a project component cannot replace a built-in one: rename it, e.g. my_${name}.`,
      file: definition.origin.specFile,
    });
  }
  try {
    await importProjectDriver(definition.spec, definition.origin, projectDir);
  } catch (error) {
    const failure = error as { code?: string; message?: string; hint?: string };
    problems.push({
      code: failure.code ?? 'E_COMPONENT_INVALID',
      message: failure.message ?? String(error),
      ...(failure.hint ? { hint: failure.hint } : {}),
      file: definition.origin.driverFile,
    });
  }
  return { folder, name, problems };
}
