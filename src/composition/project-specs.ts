import type { ComponentSpec } from '../spec/component.js';
import { isOsirisError } from '../spec/errors.js';
import { builtins } from './builtins.js';

/**
 * The component specs a project's commands go by: the built-ins plus the project's own, whose
 * `secrets` name connection fields to mask like any built-in's. A broken project component must
 * not stop `connections list` or the logs: its names are then missing, and `problem` says so.
 */
export function projectSpecs(projectDir: string): { specs: ComponentSpec[]; problem?: string } {
  try {
    return {
      specs: builtins
        .projectRegistry(projectDir)
        .list()
        .map((definition) => definition.spec),
    };
  } catch (error) {
    if (!isOsirisError(error)) throw error;
    return {
      specs: builtins
        .registry()
        .list()
        .map((definition) => definition.spec),
      problem: `the project's components could not be read (${error.message}); fields only they mark secret are not masked by name.`,
    };
  }
}
