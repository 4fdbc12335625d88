import {
  type ProjectRedaction,
  projectRedaction as redactionWithSpecs,
} from '../observability/logs/project-redaction.js';
import { projectSpecs } from './project-specs.js';

/**
 * What the logs, reports and the agent mask for a project: its connections' secrets and every
 * field a component spec (built-in or the project's own) marks secret.
 */
export function projectRedaction(
  projectDir: string,
  env: Record<string, string | undefined>,
): ProjectRedaction {
  const { specs, problem } = projectSpecs(projectDir);
  return redactionWithSpecs(projectDir, env, specs, problem ? [problem] : []);
}
