import { type DuckDBConnection, quotedIdentifier } from '@duckdb/node-api';
import { messageOf, runInterruptible, withStepConnection } from '../../runtime/data-plane/step-connection.js';
import type { Driver, StepContext } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { projectRelativePath } from '../../util/project-path.js';
import { incrementalSelect } from './incremental-select.js';
import { attachReadOnly } from './read-only-attachments.js';
import { assertSingleStatement, qualifiedName } from './single-statement.js';
import { resolveSourceFile } from './source-file.js';

const COMPONENT = 'duckdb.extractor';
const MAX_TABLES_IN_HINT = 30;

/**
 * duckdb.extractor: attaches the database file read-only into the data plane and copies the
 * query's result inside DuckDB (no rows pass through JS). The step's connection `USE`s the file,
 * so `SELECT * FROM movies` names the file's tables.
 */
export const driver: Driver = {
  async run({ stepId, config, ctx }) {
    const output = ctx.dataPlane.tableFor(stepId);
    const select =
      typeof config.query === 'string'
        ? config.query.trim()
        : `SELECT * FROM ${qualifiedName(String(config.table))}`;
    if (config.path === undefined && ctx.connection === undefined)
      return queryWithoutFile(ctx, output, select);
    const file = await resolveSourceFile(ctx, config, COMPONENT);
    return withStepConnection(ctx.dataPlane, async (connection) => {
      const dataCatalog = await currentCatalog(connection);
      const source = await attachReadOnly(ctx.dataPlane, connection, file).catch((error: unknown) => {
        throw new OsirisError(
          ErrorCodes.SOURCE_READ_FAILED,
          `Cannot open ${projectRelativePath(ctx.projectDir, file)} as a DuckDB database: ${messageOf(error)}`,
          {
            hint: 'The file must be a DuckDB database (for SQLite files use sqlite.extractor).',
            cause: error,
          },
        );
      });
      await connection.run(`USE ${quotedIdentifier(source)}`);
      try {
        await assertSingleStatement(connection, select, COMPONENT);
        const windowed = await windowedSelect(connection, select, ctx);
        await runInterruptible(
          connection,
          `CREATE OR REPLACE TABLE ${quotedIdentifier(dataCatalog)}.main.${quotedIdentifier(output)} AS ${windowed.sql}`,
          ctx.signal,
          windowed.values,
        );
      } catch (error) {
        if (isOsirisError(error)) throw error;
        throw new OsirisError(ErrorCodes.QUERY_FAILED, messageOf(error), {
          hint: await tablesHint(connection, source),
          details: { path: projectRelativePath(ctx.projectDir, file) },
          cause: error,
        });
      } finally {
        await connection.run(`USE ${quotedIdentifier(dataCatalog)}`);
      }
      const rows = await ctx.dataPlane.count(output);
      ctx.progress(rows);
      return { table: output, rows };
    });
  },
};

/**
 * No database file: the query runs in the data plane itself, for data made in SQL
 * (`range()`, `generate_series()`, VALUES lists). File access from SQL is confined by the data
 * plane, so files are read with the filesystem components instead.
 */
async function queryWithoutFile(ctx: StepContext, output: string, select: string) {
  return withStepConnection(ctx.dataPlane, async (connection) => {
    await assertSingleStatement(connection, select, COMPONENT);
    try {
      const windowed = await windowedSelect(connection, select, ctx);
      await runInterruptible(
        connection,
        `CREATE OR REPLACE TABLE ${quotedIdentifier(output)} AS ${windowed.sql}`,
        ctx.signal,
        windowed.values,
      );
    } catch (error) {
      if (isOsirisError(error)) throw error;
      throw new OsirisError(ErrorCodes.QUERY_FAILED, messageOf(error), {
        hint: 'Without `path` or `connection` the query runs in an empty DuckDB database. Read files with filesystem.csv_extractor, or set `path`/`connection` to a DuckDB database file.',
        cause: error,
      });
    }
    const rows = await ctx.dataPlane.count(output);
    ctx.progress(rows);
    return { table: output, rows };
  });
}

/** The select narrowed to the step's incremental window, if it has one. */
async function windowedSelect(
  connection: DuckDBConnection,
  select: string,
  ctx: StepContext,
): Promise<{ sql: string; values: string[] }> {
  return ctx.incremental
    ? incrementalSelect(connection, select, ctx.incremental, COMPONENT)
    : { sql: select, values: [] };
}

async function currentCatalog(connection: DuckDBConnection): Promise<string> {
  const rows = (await connection.runAndReadAll('SELECT current_database()')).getRows();
  return String(rows[0]?.[0]);
}

async function tablesHint(connection: DuckDBConnection, source: string): Promise<string> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT CASE WHEN table_schema = 'main' THEN table_name ELSE table_schema || '.' || table_name END
       FROM information_schema.tables WHERE table_catalog = $1 ORDER BY 1 LIMIT ${MAX_TABLES_IN_HINT + 1}`,
      [source],
    )
  ).getRows();
  const names = rows.slice(0, MAX_TABLES_IN_HINT).map((row) => String(row[0]));
  if (rows.length > MAX_TABLES_IN_HINT) names.push('…');
  return names.length === 0 ? 'The database file has no tables.' : `Tables in the file: ${names.join(', ')}.`;
}
