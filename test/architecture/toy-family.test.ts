import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinFamilies } from '../../src/components/index.js';
import { builtins } from '../../src/composition/builtins.js';
import { composeFamilies } from '../../src/composition/compose-families.js';
import { loadConnections, runConnectionsDoctor } from '../../src/connections/index.js';
import { validateOml } from '../../src/oml/index.js';
import { runTarget } from '../../src/runtime/run-target.js';
import { makeProject } from '../support/project.js';
import { toyFamily } from './toy-family/family.js';

const PIPELINE = `oml_version: "0.1.0"
name: toy-numbers
steps:
  - id: numbers
    component: toy.extractor
    mode: read
    needs: []
    config: { connection: "@toy.main" }
  - id: save
    component: filesystem.csv_writer
    mode: write
    needs: [numbers]
    config: { path: output/numbers.csv }
`;

const FILES = {
  'osiris_connections.yaml': 'version: 1\nconnections:\n  toy:\n    main:\n      rows: 4\n',
  'pipelines/toy.yaml': PIPELINE,
};

/** The one list, with one more family: nothing else changes. */
const osiris = composeFamilies([...builtinFamilies, toyFamily]);

describe('a family added in one folder and one list', () => {
  it('validates a pipeline that uses it, and only where the list has it', async () => {
    const withToy = validateOml(PIPELINE, { registry: osiris.registry() });
    expect(withToy.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const without = validateOml(PIPELINE, { registry: builtins.registry() });
    expect(without.diagnostics.map((d) => d.message).join('\n')).toMatch(/toy\.extractor/);
  });

  it('runs it', async () => {
    const dir = await makeProject(FILES);
    const result = await runTarget({
      target: 'pipelines/toy.yaml',
      cwd: dir,
      env: {},
      registryFor: osiris.projectRegistry,
    });
    expect(result.kind === 'run' && result.status.status).toBe('success');
    const csv = await readFile(join(dir, 'output/numbers.csv'), 'utf8');
    expect(csv.trim().split('\n')).toEqual(['id,label', '1,row 1', '2,row 2', '3,row 3', '4,row 4']);
  });

  it('discovers it', async () => {
    const dir = await makeProject(FILES);
    const profile = await osiris.discovery.discoverDatabase({ projectDir: dir, ref: '@toy.main', env: {} });
    expect(profile.family).toBe('toy');
    expect(profile.server_version).toBe('toy 1');
    expect(profile.tables.map((table) => [table.name, table.estimated_rows])).toEqual([['numbers', 4]]);
    expect(profile.tables[0]?.sample?.rows.length).toBeGreaterThan(0);
    await expect(
      builtins.discovery.discoverDatabase({ projectDir: dir, ref: '@toy.main', env: {} }),
    ).rejects.toThrow(/does not support the "toy" family/);
  });

  it('checks its connections in the doctor', async () => {
    const dir = await makeProject(FILES);
    const config = loadConnections({ cwd: dir, env: {} });
    const report = await runConnectionsDoctor(config, { probes: osiris.doctorProbes });
    expect(report.results.map((result) => [result.ref, result.status])).toEqual([['@toy.main', 'ok']]);
    expect(report.results[0]?.connectivity).toMatchObject({ status: 'ok', serverVersion: 'toy 1 (4 rows)' });
    const unknown = await runConnectionsDoctor(config, { probes: builtins.doctorProbes });
    expect(unknown.results[0]?.status).toBe('unchecked');
  });
});
