import type { ComponentSpec } from '../spec/component.js';

/** Every built-in component spec, in one list. */
export const builtinSpecs: readonly ComponentSpec[] = [];
