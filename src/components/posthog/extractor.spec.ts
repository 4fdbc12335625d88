import type { ComponentSpec } from '../../spec/component.js';
import { CONNECTION_REFERENCE_PATTERN } from '../shared/database-spec-fields.js';
import { incrementalProperty } from '../shared/incremental-spec-fields.js';

export const posthogExtractorSpec: ComponentSpec = {
  name: 'posthog.extractor',
  version: '1.0.0',
  title: 'PostHog extractor',
  description:
    'Reads events or persons from PostHog through its HogQL query endpoint (`/api/projects/<id>/query/`), ' +
    'page after page in a stable order (timestamp, then id), from `since` on. The host, project and personal ' +
    'API key come from a `@posthog.<alias>` connection (`base_url`, `project_id`, `api_key`). Retries, ' +
    'timeouts and the streamed table work as in rest.extractor.',
  modes: ['extract'],
  capabilities: { streaming: true, incremental: true },
  connection: { families: ['posthog'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      connection: {
        type: 'string',
        pattern: CONNECTION_REFERENCE_PATTERN,
        description:
          'Connection `@posthog.<alias>`: `base_url` (default https://us.posthog.com), `project_id`, `api_key` (a personal API key with query read access).',
      },
      data_type: {
        enum: ['events', 'persons'],
        default: 'events',
        description:
          '`events` (uuid, event, timestamp, distinct_id, properties) or `persons` (id, created_at, properties).',
      },
      since: {
        type: 'string',
        minLength: 1,
        description:
          'Read rows from this timestamp on (ISO 8601, inclusive): `timestamp` of events, `created_at` of persons. All when omitted.',
      },
      until: {
        type: 'string',
        minLength: 1,
        description: 'Read rows before this timestamp (ISO 8601, exclusive).',
      },
      event_names: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', minLength: 1 },
        description: 'events: only these event names, e.g. [$pageview, signup].',
      },
      page_size: {
        type: 'integer',
        minimum: 1,
        maximum: 50000,
        default: 10000,
        description: 'Rows per query.',
      },
      timeout: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 3600,
        default: 120,
        description: 'Seconds one query may take; past it the step fails with E_TIMEOUT.',
      },
      retries: {
        type: 'integer',
        minimum: 0,
        maximum: 20,
        default: 5,
        description: 'Retries of a query answered 429 or 5xx, with backoff (a 429 waits its Retry-After).',
      },
      ...incrementalProperty({
        cursor: {
          enum: ['timestamp', 'created_at'],
          description: '`timestamp` for events, `created_at` for persons.',
        },
        description:
          'Read only new events (persons) each run: from the largest timestamp the last successful run stored, ' +
          'minus `lag` (seconds), in .osiris/state.db. Pair it with an upsert on `uuid` (events) or `id` (persons).',
      }),
    },
  },
  secrets: ['/api_key'],
  examples: [
    {
      title: 'Events since the start of the year, to Parquet',
      config: { connection: '@posthog.main', data_type: 'events', since: '2026-01-01T00:00:00Z' },
      oml: `oml_version: "0.1.0"
name: posthog-events
steps:
  - id: events
    component: posthog.extractor
    mode: read
    needs: []
    config: { connection: "@posthog.main", data_type: events, since: "2026-01-01T00:00:00Z" }
  - id: save
    component: filesystem.parquet_writer
    mode: write
    needs: [events]
    config: { path: output/events.parquet }
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use posthog.extractor for product analytics in PostHog: `data_type: events` (with `since`, and ' +
      '`event_names` to narrow) or `persons`. `properties` arrives as JSON text: extract fields in a ' +
      "duckdb.processor step with `properties->>'$.plan'`.",
  },
};
