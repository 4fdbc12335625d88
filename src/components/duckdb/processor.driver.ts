import { type DuckDBConnection, quotedIdentifier } from '@duckdb/node-api';
import { messageOf, runInterruptible, withStepConnection } from '../../runtime/data-plane/step-connection.js';
import type { DataPlane, Driver, StepInput } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { assertSingleStatement } from './single-statement.js';

const MAX_COLUMNS_IN_HINT = 25;

/**
 * duckdb.processor: `CREATE TABLE df_<step> AS <query>` over the run's data plane. Each input is
 * visible as `df_<input step>`, and a single input also as `input_df`. Those names are TEMP views
 * on the step's own connection, so two processors running at once each see their own `input_df`.
 */
export const driver: Driver = {
  async run({ stepId, config, inputs, ctx }) {
    const query = String(config.query).trim();
    const output = ctx.dataPlane.tableFor(stepId);
    return withStepConnection(ctx.dataPlane, async (connection) => {
      const views = await defineInputViews(connection, inputs, ctx.dataPlane);
      try {
        await assertSingleStatement(connection, query, 'duckdb.processor');
        await runInterruptible(
          connection,
          `CREATE OR REPLACE TABLE ${quotedIdentifier(output)} AS ${query}`,
          ctx.signal,
        );
      } catch (error) {
        if (isOsirisError(error)) throw error;
        throw new OsirisError(ErrorCodes.QUERY_FAILED, messageOf(error), {
          hint: await relationsHint(ctx.dataPlane, inputs),
          details: { step_id: stepId },
          cause: error,
        });
      } finally {
        for (const view of views)
          await connection.run(`DROP VIEW IF EXISTS temp.main.${quotedIdentifier(view)}`);
      }
      const rows = await ctx.dataPlane.count(output);
      ctx.progress(rows);
      return { table: output, rows };
    });
  },
};

/** TEMP views for the names the query may use; returns the names created. */
async function defineInputViews(
  connection: DuckDBConnection,
  inputs: StepInput[],
  dataPlane: DataPlane,
): Promise<string[]> {
  const views = new Map<string, string>();
  for (const input of inputs) {
    const alias = dataPlane.tableFor(input.stepId);
    if (alias !== input.table) views.set(alias, input.table);
  }
  if (inputs.length === 1) views.set('input_df', inputs[0]!.table);
  for (const [view, table] of views) {
    try {
      await connection.run(
        `CREATE OR REPLACE TEMP VIEW ${quotedIdentifier(view)} AS SELECT * FROM main.${quotedIdentifier(table)}`,
      );
    } catch (error) {
      throw new OsirisError(ErrorCodes.UPSTREAM_FAILED, `Input table "${table}" is not in the data plane.`, {
        hint: 'Every step in `needs` must produce data (extractors and processors do; writers do not).',
        details: { table },
        cause: error,
      });
    }
  }
  return [...views.keys()];
}

/** "Available relations: input_df = df_a (id, name), df_b (...)" — what the query can read. */
async function relationsHint(dataPlane: DataPlane, inputs: StepInput[]): Promise<string> {
  if (inputs.length === 0)
    return 'This step has no inputs; add `needs: [<step id>]` to read an upstream step.';
  const described = await Promise.all(
    inputs.map(async (input) => {
      const alias = dataPlane.tableFor(input.stepId);
      // The hint is a courtesy on top of the real error; an input we cannot describe is listed bare.
      const columns = await dataPlane.columns(input.table).catch(() => []);
      const names = columns.slice(0, MAX_COLUMNS_IN_HINT).map((column) => column.name);
      if (columns.length > MAX_COLUMNS_IN_HINT) names.push('…');
      return `${alias} (${names.join(', ')})`;
    }),
  );
  const single = inputs.length === 1 ? `input_df = ${described[0]}` : described.join('; ');
  return `Available relations: ${single}.`;
}
