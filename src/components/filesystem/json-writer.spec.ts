import type { ComponentSpec } from '../../spec/component.js';

export const jsonWriterSpec: ComponentSpec = {
  name: 'filesystem.json_writer',
  version: '1.0.0',
  title: 'JSON file writer',
  description:
    'Writes its input rows as JSON objects: one per line (JSON Lines, `jsonl`) or one JSON array ' +
    '(`array`). Rows are streamed in chunks to a temporary file in the same folder that is renamed when ' +
    'complete, so readers never see a partial file; missing folders are created. Values keep their exact ' +
    'text: BIGINT, HUGEINT and DECIMAL are exact number literals; JSON columns are embedded verbatim (every ' +
    'digit of their numbers kept; line breaks between tokens become spaces); FLOAT and DOUBLE are written ' +
    'in the shortest form that reads back as the same value at their width (REAL 1.1 is `1.1`); NaN and ' +
    '±Infinity follow `non_finite`, never a silent null; timestamps are ISO 8601 text (TIMESTAMPTZ in UTC ' +
    'with `Z`) and BLOBs base64 text. A SQL NULL is `null`, the same text as a JSON column holding the JSON ' +
    'document `null`; set `omit_nulls: true` to leave SQL NULLs out of the object instead, which keeps the two apart.',
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
          'JSON file to write, relative to the project folder (it may not lead outside it); replaced if it exists.',
      },
      write_mode: {
        enum: ['replace', 'append'],
        description:
          '`replace` (default) rewrites `path` each run; `append` (incremental runs) writes a new file next to the earlier ' +
          "ones and never rewrites them: `path` then names each run's file with `{run_id}` " +
          '(e.g. `output/orders/{run_id}.jsonl`).',
      },
      format: {
        enum: ['jsonl', 'array'],
        default: 'jsonl',
        description: '`jsonl`: one object per line (streams well); `array`: a single JSON array of objects.',
      },
      non_finite: {
        enum: ['string', 'null', 'error'],
        default: 'string',
        description:
          'FLOAT/DOUBLE NaN, Infinity and -Infinity have no JSON number. `string`: the JSON strings "NaN", ' +
          '"Infinity", "-Infinity" (what JavaScript\'s Number() and most JSON libraries read back); `null`: ' +
          'JSON null; `error`: the step fails naming the column, and no file is written.',
      },
      omit_nulls: {
        type: 'boolean',
        default: false,
        description:
          "Leave a column whose value is SQL NULL out of its row's object instead of writing `null`, so a " +
          'JSON column holding the JSON document `null` (written as `null`) stays distinct from SQL NULL.',
      },
    },
  },
  secrets: [],
  examples: [
    {
      title: 'Export rows as a JSON array for a web page',
      config: { path: 'output/directors.json', format: 'array' },
      oml: `oml_version: "0.1.0"
name: directors-to-json
steps:
  - id: read-directors
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/directors.csv
    needs: []
  - id: write-directors
    component: filesystem.json_writer
    mode: write
    config:
      path: output/directors.json
      format: array
    needs: [read-directors]
`,
    },
  ],
  llmHints: {
    promptGuidance:
      'Use filesystem.json_writer to save the rows of one upstream step as JSON (`path` relative to the ' +
      'project). Default `format: jsonl` (one object per line, `.jsonl`); use `format: array` when a tool ' +
      'expects a single JSON document.',
    commonPatterns: ['path: output/<name>.jsonl for JSON Lines', 'format: array + path: output/<name>.json'],
    inputAliases: { path: ['file', 'filename', 'output'], format: ['json_format'] },
  },
};
