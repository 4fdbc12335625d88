import type { ComponentSpec } from '../../spec/component.js';

export const duckdbProcessorSpec: ComponentSpec = {
  name: 'duckdb.processor',
  version: '1.0.0',
  title: 'DuckDB SQL transform',
  description:
    "Runs one DuckDB SELECT over the outputs of the steps it needs, inside the run's own DuckDB database, " +
    'and stores the result as its output. Each upstream step is visible as the table `df_<step_id>` ' +
    '(with `-` and `.` in the id replaced by `_`) and, when there is exactly one input, also as `input_df`. ' +
    'Nothing leaves DuckDB, so joins and aggregations over large inputs stay out of JavaScript memory.',
  modes: ['transform'],
  capabilities: { adHocAnalytics: true, inMemoryMove: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['query'],
    properties: {
      query: {
        type: 'string',
        minLength: 1,
        description:
          'DuckDB SELECT (or WITH ... SELECT) whose result is the step output. Read inputs as `input_df` (one input) or `df_<step_id>`.',
      },
    },
  },
  secrets: [],
  examples: [
    {
      title: 'Join two extracts and aggregate',
      config: {
        query:
          'SELECT d.name AS director, COUNT(*) AS movies FROM df_extract_movies m JOIN df_extract_directors d ON d.id = m.director_id GROUP BY d.name ORDER BY movies DESC',
      },
      oml: `oml_version: "0.1.0"
name: movies-per-director
steps:
  - id: extract-movies
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/movies.csv
    needs: []
  - id: extract-directors
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/directors.csv
    needs: []
  - id: count-movies
    component: duckdb.processor
    mode: transform
    config:
      query: "SELECT d.name AS director, COUNT(*) AS movies FROM df_extract_movies m JOIN df_extract_directors d ON d.id = m.director_id GROUP BY d.name ORDER BY movies DESC"
    needs: [extract-movies, extract-directors]
  - id: write-counts
    component: filesystem.csv_writer
    mode: write
    config:
      path: output/movies_per_director.csv
    needs: [count-movies]
`,
      notes: 'Step `extract-movies` is visible as `df_extract_movies`.',
    },
    {
      title: 'Filter the single input',
      config: { query: 'SELECT * FROM input_df WHERE year >= 2000' },
    },
  ],
  llmHints: {
    promptGuidance:
      'Use duckdb.processor for any transformation: filters, joins across sources, aggregations, renames, ' +
      'type casts. Its `query` is DuckDB SQL. With exactly one step in `needs`, read it as `input_df`; with ' +
      'several, read each as `df_<step_id>` where `-` and `.` in the id become `_` (step `extract-movies` ' +
      'is `df_extract_movies`). List every step the query reads in `needs`. Only SELECT: the output is the ' +
      'result set, and the query cannot reach the source databases.',
    commonPatterns: [
      'SELECT ... FROM input_df WHERE ... for a filter after one extractor',
      'JOIN df_a ON ... df_b to combine two sources',
      'GROUP BY with COUNT/SUM/AVG for summaries',
      'CAST(col AS DATE) or strptime to fix types before writing',
    ],
    inputAliases: { query: ['sql', 'transform'] },
  },
};
