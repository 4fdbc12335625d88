import type { ComponentDefinition } from '../spec/component.js';
import { OsirisError } from '../spec/errors.js';
import { closestNames } from '../util/suggest.js';
import type { Registry } from './registry.js';

/** The named component, or E_COMPONENT_UNKNOWN with the closest names as a did-you-mean hint. */
export function requireComponent(registry: Registry, name: string): ComponentDefinition {
  const definition = registry.get(name);
  if (definition) return definition;
  const suggestions = closestNames(name, registry.names());
  const didYouMean = suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}? ` : '';
  throw new OsirisError('E_COMPONENT_UNKNOWN', `Unknown component "${name}"`, {
    hint: `${didYouMean}Run \`osiris components list\` to see every component.`,
    details: { component: name, suggestions },
  });
}
