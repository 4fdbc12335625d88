import type { ComponentSpec } from '../../spec/component.js';

export const jsonWriterSpec: ComponentSpec = {
  name: 'filesystem.json_writer',
  version: '1.0.0',
  title: 'JSON file writer',
  description:
    'Writes its input rows as JSON objects: one per line (JSON Lines, `jsonl`) or one JSON array ' +
    '(`array`). Rows are streamed in chunks to a temporary file in the same folder that is renamed when ' +
    'complete, so readers never see a partial file; missing folders are created.',
  modes: ['write'],
  capabilities: { streaming: true },
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
      format: {
        enum: ['jsonl', 'array'],
        default: 'jsonl',
        description: '`jsonl`: one object per line (streams well); `array`: a single JSON array of objects.',
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
