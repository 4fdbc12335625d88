import type { ComponentSpec } from '../../spec/component.js';

export const csvExtractorSpec: ComponentSpec = {
  name: 'filesystem.csv_extractor',
  version: '1.0.0',
  title: 'CSV file extractor',
  description:
    "Reads a CSV file into the run with DuckDB's CSV reader, which detects column types unless `columns` " +
    'gives them. The file is read in a streaming fashion, so files larger than memory work. Discover mode ' +
    'reports the detected columns and types. It reads exactly what filesystem.csv_writer writes: an empty ' +
    'unquoted field is NULL and a quoted empty field (`""`) the empty string (a quoted field is never NULL). ' +
    'Numbers are never rounded by a guess: a column the detection would read as DOUBLE stays DOUBLE only when ' +
    'every value has at most 15 digits (or is written as a float, like `1e+28` or `inf`, or is exactly how ' +
    'DuckDB prints its double, like `0.30000000000000004`); plain decimals ' +
    'with more digits become the DECIMAL(18|38, s) that holds them all, and beyond 38 digits exact text ' +
    '(VARCHAR, with a warning). A value that cannot be read is reported by line and column, never quoted.',
  modes: ['extract', 'discover'],
  capabilities: { discover: true, streaming: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description: 'CSV file to read, relative to the project folder (it may not lead outside it).',
      },
      delimiter: {
        type: 'string',
        minLength: 1,
        default: ',',
        description: 'Field separator, e.g. `,`, `;` or `\\t`.',
      },
      header: { type: 'boolean', default: true, description: 'The first row holds the column names.' },
      columns: {
        type: 'object',
        minProperties: 1,
        additionalProperties: { type: 'string', minLength: 1 },
        description:
          'Column name → DuckDB type (e.g. `{id: BIGINT, price: "DECIMAL(10,2)", day: DATE}`), matched by name (header names, or column0, column1, … without a header); columns not listed keep their detected types.',
      },
      null_values: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Unquoted strings read as NULL (default `[""]`: an empty unquoted field), e.g. `["", "NA", "null"]`; ' +
          '`[]` reads nothing as NULL (empty fields are empty strings). A quoted field is never NULL.',
      },
      skip_rows: {
        type: 'integer',
        minimum: 0,
        default: 0,
        description: 'Lines to skip at the top of the file, before the header.',
      },
      encoding: {
        enum: ['utf-8', 'utf-16', 'latin-1'],
        default: 'utf-8',
        description: 'Text encoding of the file.',
      },
    },
  },
  secrets: [],
  examples: [
    {
      title: 'Read a semicolon-separated file with explicit types',
      config: {
        path: 'data/sales.csv',
        delimiter: ';',
        columns: { order_id: 'BIGINT', amount: 'DECIMAL(10,2)', day: 'DATE' },
        null_values: ['', 'NA'],
      },
      oml: `oml_version: "0.1.0"
name: sales-to-parquet
steps:
  - id: read-sales
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/sales.csv
      delimiter: ";"
      columns:
        order_id: BIGINT
        amount: DECIMAL(10,2)
        day: DATE
      null_values: ["", "NA"]
    needs: []
  - id: write-sales
    component: filesystem.parquet_writer
    mode: write
    config:
      path: output/sales.parquet
    needs: [read-sales]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use filesystem.csv_extractor to read a CSV file from the project folder (`path` is relative to it). ' +
      'The defaults (comma, header row, UTF-8, detected types) fit most files; set `delimiter`, `header: false` ' +
      'or `columns` (name → DuckDB type) only when the file needs it.',
    commonPatterns: [
      'delimiter: ";" for European exports',
      'columns: {id: BIGINT, day: DATE} when type detection guesses wrong',
      'null_values: ["", "NA"] for files with placeholder blanks',
    ],
    inputAliases: { path: ['file', 'filename'], delimiter: ['sep', 'separator'] },
  },
};
