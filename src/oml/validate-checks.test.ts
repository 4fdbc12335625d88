import { describe, expect, it } from 'vitest';
import { buildCompiled } from '../compiler/build-compiled.js';
import { createDefaultRegistry } from '../composition/builtins.js';
import { analyzeOml, validateOml } from './index.js';

const registry = createDefaultRegistry();

const pipeline = (checks: string, customersChecks = '') => `oml_version: "0.1.0"
name: checked
steps:
  - id: customers
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/customers.csv }
${customersChecks}  - id: orders
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/orders.csv }
    checks:
${checks}  - id: save
    component: filesystem.csv_writer
    mode: write
    needs: [orders]
    config: { path: out/orders.csv }
`;

describe('checks in OML', () => {
  it('normalises every check type with default names and severities', () => {
    const { document, diagnostics } = validateOml(
      pipeline(`      - row_count: { min: 1, within_percent: 20 }
      - not_null: [id, customer_id]
      - unique: [id, [customer_id, placed_at]]
      - accepted_values: { column: status, values: [new, paid, 3] }
      - range: { column: amount, min: 0, max: 1000.5 }
      - freshness: { column: updated_at, max_age: 2d }
        severity: warn
      - relationship: { column: customer_id, to: customers.id }
      - sql: "SELECT count(*) = 0 FROM {{ this }} WHERE shipped_at < created_at"
        name: shipped-after-created
`),
      { registry },
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const checks = document!.steps[1]!.checks!;
    expect(checks.map((check) => [check.name, check.severity])).toEqual([
      ['row_count', 'error'],
      ['not_null(id, customer_id)', 'error'],
      ['unique(id, [customer_id, placed_at])', 'error'],
      ['accepted_values(status)', 'error'],
      ['range(amount)', 'error'],
      ['freshness(updated_at)', 'warn'],
      ['relationship(customer_id → customers.id)', 'error'],
      ['shipped-after-created', 'error'],
    ]);
    expect(checks[2]).toMatchObject({ column_sets: [['id'], ['customer_id', 'placed_at']] });
    expect(checks[5]).toMatchObject({ max_age_seconds: 172_800 });
    expect(checks[6]).toMatchObject({ to_step: 'customers', to_column: 'id' });
  });

  it('puts checks in the manifest and its fingerprint; the plan waits for relationship targets', () => {
    const compile = (text: string) => buildCompiled(analyzeOml(text, { registry }), registry);
    const relationship = `      - relationship: { column: customer_id, to: customers.id }\n`;
    const withCheck = compile(pipeline(relationship));
    const other = compile(pipeline(`      - unique: [id]\n`));
    expect(withCheck.manifest.steps[1]!.checks).toEqual([
      expect.objectContaining({ type: 'relationship', to_step: 'customers', severity: 'error' }),
    ]);
    expect(withCheck.files.get('manifest.yaml')).toContain('to_step: customers');
    expect(withCheck.manifest.fingerprints.manifest_fp).not.toBe(other.manifest.fingerprints.manifest_fp);
    expect(withCheck.manifest.fingerprints.oml_fp).not.toBe(other.manifest.fingerprints.oml_fp);
    expect(withCheck.manifest.plan.levels).toEqual([['customers'], ['orders'], ['save']]);
    expect(compile(pipeline(relationship)).files).toEqual(withCheck.files);
  });

  it('refuses relationships that would wait for themselves', () => {
    const cyclic = validateOml(
      pipeline(
        `      - relationship: { column: customer_id, to: customers.id }\n`,
        `    checks:\n      - relationship: { column: id, to: orders.customer_id }\n`,
      ),
      { registry },
    );
    expect(cyclic.diagnostics).toEqual([expect.objectContaining({ code: 'OML084', severity: 'error' })]);
    const downstream = validateOml(pipeline(`      - relationship: { column: id, to: save.id }\n`), {
      registry,
    });
    expect(downstream.diagnostics).toEqual([
      expect.objectContaining({ code: 'OML084', message: expect.stringContaining('depends on `orders`') }),
    ]);
    const self = validateOml(pipeline(`      - relationship: { column: id, to: orders.id }\n`), { registry });
    expect(self.diagnostics).toEqual([expect.objectContaining({ code: 'OML084' })]);
  });

  it('reports wrong arguments where they are, with a hint', () => {
    const { diagnostics } = validateOml(
      pipeline(`      - row_count: { min: 5, max: 1 }
      - accepted_values: { column: status, values: [] }
      - range: { column: amount }
      - sql: "SELECT 1"
      - not_null: [id]
        severity: fatal
      - unique: { colums: [id] }
`),
      { registry },
    );
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['OML082', 13],
      ['OML082', 14],
      ['OML082', 15],
      ['OML082', 16],
      ['OML082', 18],
      ['OML082', 19],
    ]);
    for (const diagnostic of diagnostics) expect(diagnostic.hint).toBeTruthy();
  });
});
