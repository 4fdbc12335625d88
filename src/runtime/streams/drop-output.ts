import type { DataPlane } from '../../spec/driver.js';

/**
 * Drop a step's output from the data plane: a table, or the view a streamed producer published
 * under the same name (DuckDB refuses `DROP TABLE` on a view and `DROP VIEW` on a table).
 */
export async function dropStepOutput(dataPlane: DataPlane, name: string): Promise<void> {
  const quoted = dataPlane.quote(name);
  await dataPlane
    .run(`DROP TABLE IF EXISTS ${quoted}`)
    .catch(() => dataPlane.run(`DROP VIEW IF EXISTS ${quoted}`));
}
