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

const INCREMENTAL = INCREMENTAL_PROPERTY.incremental as {
  properties: Record<string, unknown>;
  [key: string]: unknown;
};

/**
 * The shared `incremental` property for a component whose cursor is not a column of a SQL result
 * (a field of API records, PostHog's own time column): the same window, lag and state keys, its
 * own `cursor` schema, extra keys and description.
 */
export function incrementalProperty(options: {
  cursor: Record<string, unknown>;
  extra?: Record<string, unknown>;
  description: string;
}): Record<string, unknown> {
  return {
    incremental: {
      ...INCREMENTAL,
      properties: { ...INCREMENTAL.properties, cursor: options.cursor, ...options.extra },
      description: options.description,
    },
  };
}

/**
 * `config.incremental` of an API extractor: the same cursor, window and state, on a field of the
 * records. An API filters by its own parameters, so `param`/`end_param` name them; the window is
 * enforced on the records as well, whatever the API sends.
 */
export const API_INCREMENTAL_PROPERTY: Record<string, unknown> = incrementalProperty({
  cursor: {
    type: 'string',
    minLength: 1,
    description:
      'Top-level field of the records that grows when a record is added or changed: a timestamp (`updated_at`), a date or an integer id.',
  },
  extra: {
    param: {
      type: 'string',
      minLength: 1,
      description:
        "Query parameter that takes the window's start (the last value − lag), e.g. `updated_since`, so the API sends only new records.",
    },
    end_param: {
      type: 'string',
      minLength: 1,
      description: "Query parameter that takes the window's end (`end_value`), e.g. `updated_before`.",
    },
  },
  description:
    'Read only new and changed records: each run keeps the records with `cursor >= last value − lag` (and ' +
    '`< end_value`), sends that bound as `param` when the API can filter, and, once every writer downstream ' +
    'has succeeded, stores the largest cursor seen in .osiris/state.db. Without `param` every page is still ' +
    'fetched. Pair it with `write_mode: upsert` and a `primary_key` downstream.',
});
