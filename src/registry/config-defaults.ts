import type { ComponentSpec } from '../spec/component.js';

/**
 * A new config with the configSchema's top-level `default`s filled in where a key is absent, keys
 * sorted so the compiler's cfg files are byte-identical for the same inputs. Values given by the
 * user are kept as they are; defaults are copied so callers cannot mutate the spec through them.
 */
export function applyConfigDefaults(
  spec: ComponentSpec,
  config: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  const properties = spec.configSchema.properties;
  if (isRecord(properties)) {
    for (const [key, property] of Object.entries(properties)) {
      if (merged[key] === undefined && isRecord(property) && Object.hasOwn(property, 'default')) {
        merged[key] = structuredClone(property.default);
      }
    }
  }
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((key) => [key, merged[key]]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
