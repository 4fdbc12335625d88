import { findTemplates } from './env-template.js';
import type { RawConnection } from './types.js';

export type VariableStatus = 'set' | 'default' | 'missing';

/** Each variable a connection reads and whether it is set, falls back to its default, or is missing. Never its value. */
export function connectionVariables(
  raw: RawConnection,
  env: Record<string, string | undefined>,
): Array<{ variable: string; status: VariableStatus }> {
  const statuses = new Map<string, VariableStatus>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const template of findTemplates(value)) {
        const current = env[template.variable];
        const status: VariableStatus =
          template.defaultValue !== undefined
            ? current === undefined || current === ''
              ? 'default'
              : 'set'
            : current === undefined
              ? 'missing'
              : 'set';
        // A variable read twice is only as good as its worst use.
        if (statuses.get(template.variable) !== 'missing') statuses.set(template.variable, status);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(raw.fields);
  return [...statuses].map(([variable, status]) => ({ variable, status }));
}
