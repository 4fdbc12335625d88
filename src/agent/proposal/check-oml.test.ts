import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../composition/builtins.js';
import { parseConnectionsFile } from '../../connections/parse-connections-file.js';
import type { ConnectionsConfig } from '../../connections/types.js';
import { checkOml, diagnosticsForModel, stripCodeFence } from './check-oml.js';
import { describeDataFlow } from './describe-data-flow.js';

const connections: ConnectionsConfig = {
  file: '/p/osiris_connections.yaml',
  projectDir: '/p',
  env: {},
  connections: parseConnectionsFile(
    'version: 1\nconnections:\n  duckdb:\n    movies:\n      path: data/movies.duckdb\n',
    '/p/osiris_connections.yaml',
  ),
};
const options = { registry: createDefaultRegistry(), connections, env: {} };

const VALID = `oml_version: "0.1.0"
name: movies-export
steps:
  - id: extract
    component: duckdb.extractor
    mode: read
    config: { connection: "@duckdb.movies", query: "SELECT * FROM movies" }
  - id: write
    component: filesystem.csv_writer
    mode: write
    needs: [extract]
    config: { path: output/movies.csv }
`;

describe('checkOml', () => {
  it('accepts OML wrapped in a Markdown fence', () => {
    expect(stripCodeFence('```yaml\nname: x\n```')).toBe('name: x\n');
    const check = checkOml(`\`\`\`yaml\n${VALID}\`\`\``, options);
    expect(check.errors).toEqual([]);
    expect(check.text).toBe(VALID);
  });

  it('reports a connection that is not configured, with a line and hint the model can act on', () => {
    const check = checkOml(VALID.replace('@duckdb.movies', '@duckdb.films'), options);
    expect(check.document).toBeUndefined();
    const [first] = diagnosticsForModel(check.errors);
    expect(first).toMatch(/^line 7:\d+ /);
    expect(first).toContain('@duckdb.films');
  });

  it('describes what a pipeline reads and writes', () => {
    const check = checkOml(VALID, options);
    expect(describeDataFlow(check.document!, options.registry)).toEqual({
      reads: [
        {
          stepId: 'extract',
          component: 'duckdb.extractor',
          connection: '@duckdb.movies',
          target: 'query: SELECT * FROM movies',
        },
      ],
      writes: [{ stepId: 'write', component: 'filesystem.csv_writer', target: 'output/movies.csv' }],
    });
  });
});
