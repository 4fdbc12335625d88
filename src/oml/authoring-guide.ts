import { OML_VERSION } from '../spec/oml.js';

/**
 * How to write OML, for a model: the shape with a worked example and the rules the validator
 * enforces. One text for every assistant (the chat agent's system prompt, the MCP prompt).
 */
export const OML_AUTHORING_GUIDE = `OML v${OML_VERSION} (YAML):
  oml_version: "${OML_VERSION}"       # a quoted string
  name: movies-to-csv           # kebab-case or snake_case; saved as pipelines/<name>.yaml
  description: what it does
  params:                       # optional; used as \${params.since} in configs
    since: { type: string, default: "2020-01-01" }
  steps:
    - id: extract-movies        # unique, kebab-case or snake_case
      component: mysql.extractor
      mode: read                # read | transform | write, one the component supports
      config:
        connection: "@mysql.movies"
        query: SELECT id, title FROM movies
    - id: top-movies
      component: duckdb.processor
      mode: transform
      needs: [extract-movies]
      config:
        query: SELECT * FROM df_extract_movies ORDER BY id LIMIT 10
    - id: write-csv
      component: filesystem.csv_writer
      mode: write
      needs: [top-movies]
      config:
        path: output/top_movies.csv

Rules:
- Every step lists the steps it reads in \`needs\`.
- In duckdb.processor SQL an upstream step is the table df_<step_id> with "-" and "." turned into "_"
  (extract-movies → df_extract_movies); with exactly one upstream step it is also input_df.
- Config keys must be exactly the component's keys below; secrets never go in a pipeline.
- Extractor queries use the SQL dialect of their connection family; duckdb.processor uses DuckDB SQL.
- File paths are relative to the project folder and must stay inside it; write files under output/.
- Database writers with write_mode replace, upsert, delete_insert or scd2 (or deleted_column) need primary_key.`;
