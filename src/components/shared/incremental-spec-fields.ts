/**
 * `config.incremental` of the database extractors: one schema, so validate, the registry, the agent
 * and MCP describe incremental extraction the same way for every family.
 */
export const INCREMENTAL_PROPERTY: Record<string, unknown> = {
  incremental: {
    type: 'object',
    additionalProperties: false,
    required: ['cursor'],
    properties: {
      cursor: {
        type: 'string',
        minLength: 1,
        description:
          'Column of the result that grows when a row is added or changed: a timestamp (`updated_at`), a date or an integer (an auto-increment id).',
      },
      initial_value: {
        type: ['string', 'integer'],
        description:
          'Where the first run starts (`cursor >= initial_value`), e.g. "2024-01-01"; without it the first run reads everything.',
      },
      lag: {
        type: 'integer',
        minimum: 0,
        description:
          'Re-read this much before the last value, for rows that arrive late: seconds for time cursors, units for integer cursors.',
      },
      end_value: {
        type: ['string', 'integer'],
        description:
          'Read only `cursor < end_value` (a closed window, e.g. a backfill); such a run does not move the stored state.',
      },
    },
    description:
      'Read only new and changed rows: each run reads `cursor >= last value − lag` (bound as a parameter in the ' +
      'source query; a `query` is wrapped as a subquery) and, once every writer downstream has succeeded, stores ' +
      'the largest cursor value seen in .osiris/state.db. Pair it with a writer whose key makes re-read rows ' +
      'harmless (`write_mode: upsert` with `primary_key`). `osiris state` shows and resets the state; ' +
      '`osiris run --full-refresh` reads everything once.',
  },
};
