import type { ComponentSpec } from '../../spec/component.js';
import { CONNECTION_REFERENCE_PATTERN } from '../shared/database-spec-fields.js';

export const graphqlExtractorSpec: ComponentSpec = {
  name: 'graphql.extractor',
  version: '1.0.0',
  title: 'GraphQL API extractor',
  description:
    'Runs a GraphQL query (with variables) against an API and reads the records at `records`, following ' +
    'cursor pagination through `pageInfo { hasNextPage endCursor }`. The endpoint and authentication ' +
    '(bearer, basic, API key, OAuth2 client credentials) come from a `@graphql.<alias>` connection with the ' +
    'same fields as a `@rest` one (`base_url` is the endpoint). Retries, timeouts, size limits and the ' +
    'inferred STRUCT/LIST schema work as in rest.extractor.',
  modes: ['extract'],
  capabilities: { streaming: true },
  connection: { families: ['graphql', 'rest'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'query', 'records'],
    properties: {
      connection: {
        type: 'string',
        pattern: CONNECTION_REFERENCE_PATTERN,
        description:
          'Connection `@graphql.<alias>`: `base_url` (the GraphQL endpoint), `auth`, optional `headers`.',
      },
      query: {
        type: 'string',
        minLength: 1,
        description:
          'The GraphQL query. With `page_info`, it takes the cursor as a variable (`$after: String`) and asks for ' +
          '`pageInfo { hasNextPage endCursor }`.',
      },
      variables: {
        type: 'object',
        description: 'Variables of the query, e.g. `{ status: PAID, first: 100 }`.',
      },
      records: {
        type: 'string',
        pattern: '^\\$',
        description: 'JSON path of the list of records in the response, e.g. `$.data.orders.nodes`.',
      },
      page_info: {
        type: 'string',
        pattern: '^\\$',
        description:
          'JSON path of the `pageInfo` object (`hasNextPage`, `endCursor`), e.g. `$.data.orders.pageInfo`; one ' +
          'request when omitted.',
      },
      cursor_variable: {
        type: 'string',
        minLength: 1,
        default: 'after',
        description: 'Variable that carries `endCursor` into the next request.',
      },
      max_pages: {
        type: 'integer',
        minimum: 1,
        default: 100000,
        description:
          'Stop with an error after this many pages: a safety net against pagination that never ends.',
      },
      timeout: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 3600,
        default: 30,
        description: 'Seconds one request may take; past it the step fails with E_TIMEOUT.',
      },
      retries: {
        type: 'integer',
        minimum: 0,
        maximum: 20,
        default: 5,
        description: 'Retries of a request answered 429 or 5xx, or whose connection dropped, with backoff.',
      },
      max_response_bytes: {
        type: 'integer',
        minimum: 1024,
        default: 52_428_800,
        description: 'Largest response body accepted; a larger one fails the step with E_RESPONSE_TOO_LARGE.',
      },
    },
  },
  secrets: ['/auth/token', '/auth/password', '/auth/key', '/auth/client_secret'],
  examples: [
    {
      title: 'Orders of a GraphQL API, page after page, to Parquet',
      config: {
        connection: '@graphql.shop',
        query:
          'query Orders($after: String) { orders(first: 100, after: $after) { nodes { id total customer { name } } pageInfo { hasNextPage endCursor } } }',
        records: '$.data.orders.nodes',
        page_info: '$.data.orders.pageInfo',
      },
      oml: `oml_version: "0.1.0"
name: graphql-orders
steps:
  - id: orders
    component: graphql.extractor
    mode: read
    needs: []
    config:
      connection: "@graphql.shop"
      query: "query Orders($after: String) { orders(first: 100, after: $after) { nodes { id total customer { name } } pageInfo { hasNextPage endCursor } } }"
      records: $.data.orders.nodes
      page_info: $.data.orders.pageInfo
  - id: save
    component: filesystem.parquet_writer
    mode: write
    needs: [orders]
    config: { path: output/orders.parquet }
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use graphql.extractor for a GraphQL API. Write one query with a `$after: String` variable passed to the ' +
      "connection field's `after` argument, select `nodes { … }` and `pageInfo { hasNextPage endCursor }`, and set " +
      '`records` and `page_info` to their JSON paths.',
  },
};
