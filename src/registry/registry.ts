import type { ComponentDefinition, ComponentSpec } from '../spec/component.js';

/**
 * The set of components a compile or run may use. A value, not a global: tests and
 * embedders build their own with `with`/`without` (Redpanda Connect's environment idea).
 */
export class Registry {
  readonly #definitions: ReadonlyMap<string, ComponentDefinition>;

  constructor(definitions: Iterable<ComponentDefinition> = []) {
    const map = new Map<string, ComponentDefinition>();
    for (const definition of definitions) map.set(definition.spec.name, definition);
    this.#definitions = map;
  }

  get(name: string): ComponentDefinition | undefined {
    return this.#definitions.get(name);
  }

  spec(name: string): ComponentSpec | undefined {
    return this.#definitions.get(name)?.spec;
  }

  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** Component names, sorted, so every listing and hash over them is deterministic. */
  names(): string[] {
    return [...this.#definitions.keys()].sort();
  }

  list(): ComponentDefinition[] {
    return this.names().map((name) => this.#definitions.get(name)!);
  }

  with(...definitions: ComponentDefinition[]): Registry {
    return new Registry([...this.#definitions.values(), ...definitions]);
  }

  without(...names: string[]): Registry {
    return new Registry([...this.#definitions.values()].filter((d) => !names.includes(d.spec.name)));
  }
}
