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
      checks:                   # data checks on the output, before anything downstream runs
        - unique: [id]
        - not_null: [id]
        - row_count: { min: 1 }
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
- \`checks\` (any step; one type per item, optional name and severity: error | warn): row_count { min, max,
  within_percent }, not_null [cols], unique [col or [cols]], accepted_values { column, values },
  range { column, min, max }, freshness { column, max_age: 2d }, relationship { column, to: step.column },
  sql "SELECT count(*) = 0 FROM {{ this }} WHERE ..." with a name. A failed error check stops every step
  that depends on it, so no target is written. Give extractors of tables with a primary key
  unique + not_null on it and row_count { min: 1 }.
- Database writers with write_mode replace, upsert, delete_insert or scd2 (or deleted_column) need primary_key.
- Incremental loads ("new and changed rows", "every day", "since the last run"): give the database extractor
  (mysql, postgres, supabase, duckdb, sqlite; table or query) \`incremental: { cursor: updated_at }\` with a
  cursor column discovery marks as a likely cursor (a timestamp such as updated_at/modified_at, or an
  increasing id); optional initial_value ("2024-01-01"), lag (seconds to re-read for late rows, e.g. 3600),
  end_value (a closed backfill window). Each run reads cursor >= the last stored value, so pair it with a
  database writer with write_mode upsert (or delete_insert, scd2 for history) and primary_key, never a
  plain append to a table. Never filter the cursor yourself in the query: Osiris adds the bound filter.`;
