import type { ComponentDefinition } from '../../src/spec/component.js';
import { OsirisError } from '../../src/spec/errors.js';

/**
 * A component that fails on purpose (dlt's `dummy` destination idea): used to test how the
 * runner reports failures, skips dependents and keeps going on independent branches.
 */
export const faultComponent: ComponentDefinition = {
  spec: {
    name: 'test.fault',
    version: '1.0.0',
    title: 'Fault injector (tests only)',
    description: 'Fails with the configured error code and message; can leak a secret to prove redaction.',
    modes: ['transform', 'write'],
    capabilities: {},
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        code: { type: 'string', default: 'E_WRITE_FAILED' },
        message: { type: 'string', default: 'injected failure' },
        hint: { type: 'string' },
        connection: { type: 'string' },
        leak_secret: { type: 'boolean', default: false },
      },
    },
    secrets: [],
    connection: { families: ['duckdb'], required: false },
    examples: [{ title: 'fail', config: { code: 'E_WRITE_FAILED' } }],
    llmHints: { promptGuidance: 'Never use: test only.' },
  },
  loadDriver: async () => ({
    async run({ config, ctx }) {
      // Behaves like a database client whose error message echoes the password it was given.
      const leaked = config.leak_secret ? ` (password=${String(ctx.connection?.fields.password)})` : '';
      ctx.log.debug(`about to fail${leaked}`, { connection_fields: ctx.connection?.fields ?? {} });
      throw new OsirisError(config.code as 'E_WRITE_FAILED', `${String(config.message)}${leaked}`, {
        ...(typeof config.hint === 'string' ? { hint: config.hint } : {}),
      });
    },
  }),
};
