import type { ComponentSpec } from '../../spec/component.js';

export const csvWriterSpec: ComponentSpec = {
  name: 'filesystem.csv_writer',
  version: '1.0.0',
  title: 'CSV file writer',
  description:
    'Writes its input rows to a CSV file, streamed in chunks. The file is written to a temporary file in ' +
    'the same folder and renamed when complete, so readers never see a partial file; missing folders are ' +
    'created. Same input, same bytes: column order, quoting and newlines are fixed by the config.',
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
          'CSV file to write, relative to the project folder (it may not lead outside it); replaced if it exists.',
      },
      write_mode: {
        enum: ['replace', 'append'],
        description:
          '`replace` (default) rewrites `path` each run; `append` (incremental runs) writes a new file next to the earlier ' +
          "ones and never rewrites them: `path` then names each run's file with `{run_id}` " +
          '(e.g. `output/orders/{run_id}.csv`), or `partition_by` names Hive-style folders.',
      },
      partition_by: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', minLength: 1 },
        description:
          'Columns whose values become Hive-style folders under `path` (a folder then): ' +
          '`output/orders/country=DE/<run id>_0.csv`. Each file appears complete (written aside, then renamed); ' +
          'the partition columns are in the folder names, not in the files.',
      },
      delimiter: {
        type: 'string',
        minLength: 1,
        default: ',',
        description: 'Field separator, e.g. `,`, `;` or `\\t`.',
      },
      header: { type: 'boolean', default: true, description: 'Write the column names as the first row.' },
      encoding: {
        enum: ['utf-8', 'utf-16', 'latin-1'],
        default: 'utf-8',
        description: 'Text encoding of the file.',
      },
      newline: {
        enum: ['lf', 'crlf'],
        default: 'lf',
        description: 'Line ending: `lf` (Unix) or `crlf` (Windows, some spreadsheet tools).',
      },
      quoting: {
        enum: ['minimal', 'all', 'none'],
        default: 'minimal',
        description:
          '`minimal` quotes only fields that contain the delimiter, a quote or a newline; `all` quotes every field; `none` never quotes.',
      },
      columns: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', minLength: 1 },
        description: 'Columns to write, in this order; all input columns in input order when omitted.',
      },
    },
  },
  secrets: [],
  examples: [
    {
      title: 'Write a report for a spreadsheet',
      config: {
        path: 'output/top_movies.csv',
        delimiter: ';',
        newline: 'crlf',
        columns: ['title', 'year', 'rating'],
      },
      oml: `oml_version: "0.1.0"
name: top-movies-report
steps:
  - id: read-movies
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/movies.csv
    needs: []
  - id: top-movies
    component: duckdb.processor
    mode: transform
    config:
      query: "SELECT title, year, rating FROM input_df ORDER BY rating DESC LIMIT 10"
    needs: [read-movies]
  - id: write-report
    component: filesystem.csv_writer
    mode: write
    config:
      path: output/top_movies.csv
      delimiter: ";"
      newline: crlf
      columns: [title, year, rating]
    needs: [top-movies]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use filesystem.csv_writer to save the rows of one upstream step as a CSV file (`path` relative to the ' +
      'project, e.g. `output/name.csv`). The defaults (comma, header, UTF-8, LF, minimal quoting, all columns) ' +
      'fit most uses; set `columns` to choose and order the columns written.',
    commonPatterns: [
      'path: output/<name>.csv after a duckdb.processor',
      'columns: [a, b, c] to fix the column order',
      'delimiter: ";" + newline: crlf for spreadsheet users',
    ],
    inputAliases: { path: ['file', 'filename', 'output'], delimiter: ['sep', 'separator'] },
  },
};
