import type { ComponentSpec } from '../../spec/component.js';
import { CONNECTION_REFERENCE_PATTERN } from '../shared/database-spec-fields.js';
import { API_INCREMENTAL_PROPERTY } from '../shared/incremental-spec-fields.js';

const PAGINATE_TYPES = ['none', 'cursor', 'next_url', 'link_header', 'page', 'offset'];

export const restExtractorSpec: ComponentSpec = {
  name: 'rest.extractor',
  version: '1.0.0',
  title: 'REST API extractor',
  description:
    'Reads records from a JSON HTTP API, page after page, into the run: the base URL and authentication ' +
    '(bearer token, basic, API key in a header or the query, OAuth2 client credentials) come from a ' +
    '`@rest.<alias>` connection; the step names the `path`, `params`, where the records are (`records`) ' +
    'and how pages follow each other (`paginate`). 429 and 5xx answers are retried with backoff, ' +
    'honouring Retry-After. Nested objects become STRUCT columns, lists LIST columns; the schema is ' +
    'inferred from every record. No code needed.',
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true, incremental: true },
  connection: { families: ['rest'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      connection: {
        type: 'string',
        pattern: CONNECTION_REFERENCE_PATTERN,
        description:
          'Connection `@rest.<alias>` from osiris_connections.yaml: `base_url`, `auth` and optional default `headers`.',
      },
      path: {
        type: 'string',
        format: 'uri-reference',
        default: '',
        description: 'Path appended to the connection `base_url`, e.g. `/orders`.',
      },
      params: {
        type: 'object',
        additionalProperties: { type: ['string', 'number', 'boolean'] },
        description: 'Query parameters of every request, e.g. `{ status: paid }`.',
      },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description:
          'Extra request headers (no credentials: those belong in the connection `auth`, where they are kept secret).',
      },
      records: {
        type: 'string',
        pattern: '^\\$',
        description:
          'JSON path of the list of records in a response, e.g. `$.data` or `$.result.items`. When omitted: the ' +
          'body itself if it is a list, else its only list member.',
      },
      paginate: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: {
            enum: PAGINATE_TYPES,
            description:
              '`cursor`: a token in the body (`cursor_path`) goes into a query parameter (`cursor_param`); ' +
              '`next_url`: the body holds the next URL (`next_url_path`); `link_header`: the `Link: <…>; rel="next"` ' +
              'header; `page`: page numbers (`page_param`, `start_page`, `page_size_param`, `page_size`); ' +
              '`offset`: `offset_param` + `limit_param` with `limit` records per page; `none`: one request.',
          },
          cursor_path: {
            type: 'string',
            pattern: '^\\$',
            description: 'cursor: JSON path of the next cursor; absent or null ends.',
          },
          cursor_param: {
            type: 'string',
            minLength: 1,
            description: 'cursor: query parameter that carries the cursor.',
          },
          next_url_path: {
            type: 'string',
            pattern: '^\\$',
            description: 'next_url: JSON path of the next page URL (default `$.next`).',
          },
          page_param: {
            type: 'string',
            minLength: 1,
            description: 'page: query parameter of the page number (default `page`).',
          },
          start_page: {
            type: 'integer',
            minimum: 0,
            description: 'page: number of the first page (default 1).',
          },
          page_size_param: {
            type: 'string',
            minLength: 1,
            description: 'page: query parameter of the page size, if any.',
          },
          page_size: {
            type: 'integer',
            minimum: 1,
            description: 'page: records per page; a shorter page ends.',
          },
          offset_param: {
            type: 'string',
            minLength: 1,
            description: 'offset: query parameter of the offset (default `offset`).',
          },
          limit_param: {
            type: 'string',
            minLength: 1,
            description: 'offset: query parameter of the page size (default `limit`).',
          },
          limit: {
            type: 'integer',
            minimum: 1,
            description: 'offset: records per page (default 100); a shorter page ends.',
          },
          start_offset: { type: 'integer', minimum: 0, description: 'offset: first offset (default 0).' },
          max_pages: {
            type: 'integer',
            minimum: 1,
            description:
              'Stop with an error after this many pages (default 100000): a safety net against pagination that never ends.',
          },
        },
        description: 'How pages follow each other; one request when omitted. An empty page always ends.',
      },
      timeout: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 3600,
        default: 30,
        description:
          'Seconds one request may take, until its whole body has arrived; past it the step fails with E_TIMEOUT.',
      },
      retries: {
        type: 'integer',
        minimum: 0,
        maximum: 20,
        default: 5,
        description:
          'Retries of a request answered 429 or 5xx, or whose connection dropped, with backoff (a 429 waits its Retry-After).',
      },
      max_response_bytes: {
        type: 'integer',
        minimum: 1024,
        default: 52_428_800,
        description:
          'Largest response body accepted (default 50 MiB); a larger one fails the step with E_RESPONSE_TOO_LARGE.',
      },
      ...API_INCREMENTAL_PROPERTY,
    },
  },
  secrets: ['/auth/token', '/auth/password', '/auth/key', '/auth/client_secret'],
  examples: [
    {
      title: 'Paid orders from a cursor-paginated API, to Parquet',
      config: {
        connection: '@rest.shop',
        path: '/orders',
        params: { status: 'paid' },
        records: '$.data',
        paginate: { type: 'cursor', cursor_path: '$.next_cursor', cursor_param: 'cursor' },
      },
      oml: `oml_version: "0.1.0"
name: shop-orders
steps:
  - id: orders
    component: rest.extractor
    mode: read
    needs: []
    config:
      connection: "@rest.shop"
      path: /orders
      params: { status: paid }
      records: $.data
      paginate: { type: cursor, cursor_path: $.next_cursor, cursor_param: cursor }
  - id: save
    component: filesystem.parquet_writer
    mode: write
    needs: [orders]
    config: { path: output/orders.parquet }
`,
      notes:
        'The connection: rest: { shop: { base_url: https://api.example.com/v1, auth: { type: bearer, token: "${SHOP_TOKEN}" } } }.',
    },
  ],
  llmHints: {
    promptGuidance:
      'Use rest.extractor to read a JSON HTTP API through a `@rest.<alias>` connection. Run discovery on the ' +
      'connection with the path first (`osiris discover @rest.alias --path /orders`) to see where the records ' +
      'are and how the response points to the next page, then set `records` and `paginate` accordingly. ' +
      'Never put credentials in `headers` or `params`: they belong in the connection `auth`. Flatten nested ' +
      'STRUCT columns with a duckdb.processor step (`SELECT o.customer.name AS customer_name FROM input_df o`).',
    commonPatterns: [
      '`paginate: { type: cursor, cursor_path: $.next_cursor, cursor_param: cursor }` for APIs returning a cursor',
      '`paginate: { type: link_header }` for GitHub-style APIs',
      '`paginate: { type: offset, limit: 100 }` for `?offset=&limit=` APIs',
      '`incremental: { cursor: updated_at, param: updated_since }` to read only new and changed records each run',
    ],
  },
  limits: { max_response_bytes: 52_428_800 },
};
