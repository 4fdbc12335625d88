import type { FamilyDefinition } from '../../../src/components/index.js';
import type { DiscoveryConnection, QueryResult } from '../../../src/discovery/index.js';
import type { ComponentSpec } from '../../../src/spec/component.js';
import type { ResolvedConnection } from '../../../src/spec/connection.js';
import type { Driver } from '../../../src/spec/driver.js';

/**
 * A whole technology in one file, the way a family folder under src/components/ is laid out: a
 * "toy" source whose connections generate `rows` numbered rows, with an extractor, discovery and
 * a doctor probe. It exists to prove that adding a family touches one folder and one list.
 */
const toyExtractorSpec: ComponentSpec = {
  name: 'toy.extractor',
  version: '1.0.0',
  title: 'Toy extractor',
  description: 'Generates the numbered rows of a `@toy.<alias>` connection.',
  modes: ['extract'],
  capabilities: {},
  connection: { families: ['toy'], required: true },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      connection: { type: 'string', pattern: '^@toy(\\.[A-Za-z0-9_-]+)?$', description: 'A `@toy.<alias>`.' },
    },
  },
  secrets: [],
  examples: [{ title: 'All rows', config: { connection: '@toy.main' } }],
  llmHints: { promptGuidance: 'toy.extractor reads the rows of a toy connection.' },
};

function rowCount(connection: ResolvedConnection | undefined): number {
  const rows = Number(connection?.fields.rows ?? 0);
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`${connection?.ref}: rows must be a whole number`);
  return rows;
}

function* numbered(count: number): Generator<[bigint, string]> {
  for (let id = 1; id <= count; id++) yield [BigInt(id), `row ${id}`];
}

const driver: Driver = {
  async run({ stepId, ctx }) {
    const table = ctx.dataPlane.tableFor(stepId);
    async function* batches() {
      yield [...numbered(rowCount(ctx.connection))];
    }
    const rows = await ctx.dataPlane.appendRows(
      table,
      [
        { name: 'id', type: 'BIGINT' },
        { name: 'label', type: 'VARCHAR' },
      ],
      batches(),
    );
    return { table, rows };
  },
};

/** A read-only session over the generated rows: every query returns them, capped. */
function openToyDiscovery(connection: ResolvedConnection): DiscoveryConnection {
  const count = rowCount(connection);
  const columns = [
    { name: 'id', type: 'BIGINT' },
    { name: 'label', type: 'VARCHAR' },
  ];
  return {
    session: {
      dialect: {
        quoteIdentifier: (identifier) => `"${identifier}"`,
        placeholder: (index) => `$${index}`,
        containsText: (column, placeholder) => `${column} LIKE ${placeholder}`,
      },
      serverVersion: 'toy 1',
      async query(_sql, _parameters, limits): Promise<QueryResult> {
        const rows = [...numbered(Math.min(count, limits.maxRows))].map(([id, label]) => ({
          id: Number(id),
          label,
        }));
        return { columns, rows, truncated: count > limits.maxRows };
      },
      async close() {},
    },
    async readCatalog() {
      return {
        schemas: ['main'],
        warnings: [],
        tables: [
          {
            schema: 'main',
            name: 'numbers',
            kind: 'table',
            estimated_rows: count,
            columns: columns.map((column) => ({ ...column, nullable: false, default: null })),
            primary_key: ['id'],
            foreign_keys: [],
            indexes: [],
          },
        ],
      };
    },
  };
}

export const toyFamily: FamilyDefinition = {
  name: 'toy',
  components: [{ spec: toyExtractorSpec, loadDriver: async () => driver }],
  discovery: {
    kind: 'database',
    component: toyExtractorSpec.name,
    open: async (connection) => openToyDiscovery(connection),
    identity: async (connection) => ({ rows: rowCount(connection) }),
  },
  probe: async () => async (connection) => ({
    serverVersion: `toy 1 (${rowCount(connection)} rows)`,
    latencyMs: 0,
  }),
};
