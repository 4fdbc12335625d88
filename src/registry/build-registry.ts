import type { ComponentDefinition } from '../spec/component.js';
import { OsirisError } from '../spec/errors.js';
import { loadProjectComponents } from './project-components.js';
import { Registry } from './registry.js';
import { validateSpec } from './validate-spec.js';

/**
 * A registry of the given components after checking every spec (see validateSpec) and that no
 * two share a name. The first invalid spec stops the build: a broken spec is a bug to fix, not
 * something to run around. `checked: true` skips validateSpec for specs whose own tests check them
 * (the shipped ones): compiling every spec's schemas is a fifth of a command's start-up.
 */
export function buildRegistry(
  definitions: Iterable<ComponentDefinition>,
  options: { checked?: boolean } = {},
): Registry {
  const list = [...definitions];
  const names = new Set<string>();
  for (const definition of list) {
    const diagnostics = options.checked ? [] : validateSpec(definition.spec);
    const first = diagnostics[0];
    if (first) {
      const name = typeof definition.spec?.name === 'string' ? definition.spec.name : '<unnamed>';
      const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more problems)` : '';
      throw new OsirisError('E_SPEC_INVALID', `${first.message}${more}`, {
        hint: first.hint ?? `fix the spec of ${name}; every problem is listed in details.problems.`,
        details: {
          component: name,
          path: first.path,
          problems: diagnostics.map((d) => ({ path: d.path, message: d.message })),
        },
      });
    }
    if (names.has(definition.spec.name)) {
      throw new OsirisError('E_SPEC_INVALID', `component ${definition.spec.name} is defined twice`, {
        details: { component: definition.spec.name },
      });
    }
    names.add(definition.spec.name);
  }
  return new Registry(list);
}

/**
 * `builtins` plus the project's own components (`components/<name>/` in `projectDir`), each
 * checked like a built-in; a broken one, or one named like a built-in, is an E_COMPONENT_INVALID
 * naming it and its file. Read afresh on every call, so an edited component is seen at once.
 */
export function withProjectComponents(builtins: Registry, projectDir: string | undefined): Registry {
  if (projectDir === undefined) return builtins;
  const projectComponents = loadProjectComponents(projectDir, new Set(builtins.names()));
  return projectComponents.length === 0 ? builtins : builtins.with(...projectComponents);
}
