import type { ComponentSpec } from '../../spec/component.js';

export const parquetWriterSpec: ComponentSpec = {
  name: 'filesystem.parquet_writer',
  version: '1.0.0',
  title: 'Parquet file writer',
  description:
    "Writes its input rows to a Parquet file with DuckDB's writer, keeping column types. The file is written " +
    'to a temporary file in the same folder and renamed when complete, so readers never see a partial file; ' +
    'missing folders are created. INTERVAL columns (e.g. MySQL TIME, PostgreSQL interval) are written as ' +
    "DuckDB's interval text (`-838:59:59`, `10 months 3 days -04:05:06.789012`): Parquet's INTERVAL type holds " +
    'no negative parts and only milliseconds; `CAST(col AS INTERVAL)` reads the text back exactly.',
  modes: ['write'],
  capabilities: { streaming: true, readsInputOnce: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description:
          'Parquet file to write, relative to the project folder (it may not lead outside it); replaced if it exists.',
      },
      write_mode: {
        enum: ['replace', 'append'],
        description:
          '`replace` (default) rewrites `path` each run; `append` (incremental runs) writes a new file next to the earlier ' +
          "ones and never rewrites them: `path` then names each run's file with `{run_id}` " +
          '(e.g. `output/orders/{run_id}.parquet`), or `partition_by` names Hive-style folders.',
      },
      partition_by: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', minLength: 1 },
        description:
          'Columns whose values become Hive-style folders under `path` (a folder then): ' +
          '`output/orders/country=DE/<run id>_0.parquet`. Each file appears complete (written aside, then renamed); ' +
          'the partition columns are in the folder names, not in the files.',
      },
      compression: {
        enum: ['snappy', 'zstd', 'gzip', 'uncompressed'],
        default: 'snappy',
        description: 'Column compression: `snappy` is fast, `zstd` smaller, `gzip` the most compatible.',
      },
      row_group_size: {
        type: 'integer',
        minimum: 1,
        default: 122_880,
        description:
          'Rows per row group; larger groups compress better, smaller ones need less memory to read.',
      },
    },
  },
  secrets: [],
  examples: [
    {
      title: 'Archive a table as zstd Parquet',
      config: { path: 'output/orders.parquet', compression: 'zstd' },
      oml: `oml_version: "0.1.0"
name: orders-archive
steps:
  - id: extract-orders
    component: postgres.extractor
    mode: read
    config:
      connection: "@postgres.shop"
      table: orders
    needs: []
  - id: write-orders
    component: filesystem.parquet_writer
    mode: write
    config:
      path: output/orders.parquet
      compression: zstd
    needs: [extract-orders]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use filesystem.parquet_writer to save the rows of one upstream step as a Parquet file (`path` relative ' +
      'to the project, e.g. `output/name.parquet`). Prefer it over CSV when the data feeds analytics tools, ' +
      'because types are kept. The defaults (snappy, 122880-row groups) rarely need changing.',
    commonPatterns: ['path: output/<name>.parquet', 'compression: zstd for archives'],
    inputAliases: { path: ['file', 'filename', 'output'], compression: ['codec'] },
  },
};
