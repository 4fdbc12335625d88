import type { ComponentDefinition } from '../spec/component.js';
import { driverLoaders } from './drivers.js';
import { builtinSpecs } from './specs.js';

/** Built-in components: each spec bound to its driver loader (absent until the driver exists). */
export const builtinComponents: readonly ComponentDefinition[] = builtinSpecs.map((spec) => {
  const loadDriver = driverLoaders[spec.name];
  return loadDriver ? { spec, loadDriver } : { spec };
});
