import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinSpecs } from '../composition/builtins.js';
import { OML_MODE_TO_SPEC_MODE, type OmlMode } from '../spec/component.js';
import { buildRegistry } from './build-registry.js';
import { configSchemaValidator } from './config-validator.js';

/**
 * Every spec's example OML is documentation the agent copies from, so each one must be a complete,
 * valid OML v0.1.0 document whose steps use real components with valid configs.
 */
const registry = buildRegistry(builtinSpecs.map((spec) => ({ spec })));
const STEP_ID = /^[a-z][a-z0-9]*([-_][a-z0-9]+)*$/;

interface ParsedStep {
  id: string;
  component: string;
  mode: OmlMode;
  config: Record<string, unknown>;
  needs: string[];
}

const cases = builtinSpecs.flatMap((spec) =>
  spec.examples.flatMap((example, index) =>
    example.oml ? [[`${spec.name} #${index}`, spec, example] as const] : [],
  ),
);

describe('example OML of the built-in specs', () => {
  it('exists for every component', () => {
    const withOml = new Set(cases.map(([, spec]) => spec.name));
    expect(builtinSpecs.filter((spec) => !withOml.has(spec.name)).map((spec) => spec.name)).toEqual([]);
  });

  it.each(cases)('%s is a complete, valid OML v0.1.0 document', (_label, spec, example) => {
    const document = parse(example.oml!, { strict: true, uniqueKeys: true }) as Record<string, unknown>;
    expect(Object.keys(document).sort()).toEqual(['name', 'oml_version', 'steps']);
    expect(document.oml_version).toBe('0.1.0');
    expect(document.name).toMatch(STEP_ID);
    const steps = document.steps as ParsedStep[];
    expect(steps.length).toBeGreaterThan(0);

    const seen = new Set<string>();
    for (const step of steps) {
      expect(Object.keys(step).sort()).toEqual(['component', 'config', 'id', 'mode', 'needs']);
      expect(step.id).toMatch(STEP_ID);
      expect(seen.has(step.id), `duplicate step id ${step.id}`).toBe(false);
      for (const need of step.needs) expect(seen.has(need), `${step.id} needs unknown ${need}`).toBe(true);
      seen.add(step.id);

      const component = registry.spec(step.component);
      expect(component, `unknown component ${step.component}`).toBeDefined();
      expect(component!.modes).toContain(OML_MODE_TO_SPEC_MODE[step.mode]);
      const validate = configSchemaValidator(component!);
      expect(validate(step.config), `${step.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      if (step.mode === 'read') expect(step.needs).toEqual([]);
      else expect(step.needs.length).toBeGreaterThan(0);
    }

    const ownSteps = steps.filter((step) => step.component === spec.name);
    expect(ownSteps.map((step) => step.config)).toContainEqual(example.config);
  });
});
