import {
  type ProjectRedaction,
  projectRedaction as redactionWithSpecs,
} from '../observability/logs/project-redaction.js';
import { isOsirisError } from '../spec/errors.js';
import { builtins } from './builtins.js';

/**
 * What the logs, reports and the agent mask for a project: its connections' secrets and every
 * field a component spec (built-in or the project's own) marks secret. A broken project component
 * must not make past runs unreadable: its secret names are then missing, and the user is told.
 */
export function projectRedaction(
  projectDir: string,
  env: Record<string, string | undefined>,
): ProjectRedaction {
  try {
    const specs = builtins
      .projectRegistry(projectDir)
      .list()
      .map((definition) => definition.spec);
    return redactionWithSpecs(projectDir, env, specs);
  } catch (error) {
    if (!isOsirisError(error)) throw error;
    const specs = builtins
      .registry()
      .list()
      .map((definition) => definition.spec);
    return redactionWithSpecs(projectDir, env, specs, [
      `the project's components could not be read (${error.message}); fields only they mark secret are not masked by name.`,
    ]);
  }
}
