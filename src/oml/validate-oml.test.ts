// biome-ignore-all lint/suspicious/noTemplateCurlyInString: OML `${...}` references are literal text here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BAD_DOCUMENTS,
  type BadDocument,
  SAMPLE_CONNECTIONS,
  unmark,
  WARNING_DOCUMENTS,
} from '../../test/fixtures/oml/bad-documents.js';
import { createDefaultRegistry } from '../composition/builtins.js';
import { parseConnectionsFile } from '../connections/parse-connections-file.js';
import type { ConnectionsConfig } from '../connections/types.js';
import { OmlCodes, omlCodeDescriptions } from './codes.js';
import { validateOml } from './index.js';
import { validateOmlFile } from './validate-oml-file.js';

const registry = createDefaultRegistry();
const connections: ConnectionsConfig = {
  file: '/project/osiris_connections.yaml',
  projectDir: '/project',
  connections: parseConnectionsFile(SAMPLE_CONNECTIONS, '/project/osiris_connections.yaml'),
  env: {},
};

function validateCase(document: BadDocument) {
  const { text, line, column } = unmark(document.text);
  const result = validateOml(text, {
    file: 'pipeline.yaml',
    registry,
    ...(document.params ? { params: document.params } : {}),
    ...(document.profile ? { profile: document.profile } : {}),
    ...(document.withConnections ? { connections } : {}),
    ...(document.projectDir ? { projectDir: document.projectDir } : {}),
  });
  return { result, line, column };
}

describe('validateOml rejects bad documents', () => {
  it.each(BAD_DOCUMENTS.map((document) => [document.name, document] as const))('%s', (_name, document) => {
    const { result, line, column } = validateCase(document);
    expect(result.document).toBeUndefined();
    const found = result.diagnostics.find((diagnostic) => diagnostic.code === document.code);
    expect(found, JSON.stringify(result.diagnostics, null, 2)).toMatchObject({
      severity: 'error',
      file: 'pipeline.yaml',
      line,
      column,
    });
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.line).toBeGreaterThan(0);
      expect(diagnostic.column).toBeGreaterThan(0);
      expect(diagnostic.message.length).toBeGreaterThan(0);
      expect(diagnostic.hint?.length, `${diagnostic.code} has no hint`).toBeGreaterThan(0);
    }
  });

  it('never echoes an inline secret', () => {
    const inline = BAD_DOCUMENTS.find((document) => document.code === OmlCodes.INLINE_SECRET)!;
    const { result } = validateCase(inline);
    expect(JSON.stringify(result.diagnostics)).not.toContain('hunter2');
  });

  it('locates invalid UTF-8 at the bad byte and refuses a 50 MB file without parsing it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'osiris-oml-'));
    try {
      const latin1 = join(folder, 'latin1.yaml');
      writeFileSync(
        latin1,
        Buffer.concat([Buffer.from('oml_version: "0.1.0"\nname: caf'), Buffer.from([0xe9, 0x0a])]),
      );
      const huge = join(folder, 'huge.yaml');
      writeFileSync(huge, Buffer.alloc(50 * 1024 * 1024, 'a'));
      expect((await validateOmlFile(latin1, { registry })).diagnostics).toEqual([
        expect.objectContaining({ code: 'OML003', file: latin1, line: 2, column: 10 }),
      ]);
      expect((await validateOmlFile(huge, { registry })).diagnostics).toEqual([
        expect.objectContaining({ code: 'OML001', file: huge, line: 1, column: 1 }),
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('covers every code of the catalogue, each described', () => {
    const codes = Object.values(OmlCodes);
    expect(new Set(codes).size).toBe(codes.length);
    const tested = new Set([...BAD_DOCUMENTS, ...WARNING_DOCUMENTS].map((document) => document.code));
    // OML001 and OML003 need bytes, not text: tested above from files.
    const untested = codes.filter((code) => !tested.has(code) && code !== 'OML001' && code !== 'OML003');
    expect(untested).toEqual([]);
    for (const code of codes) expect(omlCodeDescriptions[code]).toMatch(/\S/);
    expect(BAD_DOCUMENTS.length).toBeGreaterThanOrEqual(30);
  });
});

describe('validateOml warnings', () => {
  it.each(WARNING_DOCUMENTS.map((document) => [document.name, document] as const))(
    '%s',
    (_name, document) => {
      const { result, line, column } = validateCase(document);
      expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
      expect(result.document).toBeDefined();
      expect(result.diagnostics.find((diagnostic) => diagnostic.code === document.code)).toMatchObject({
        severity: 'warning',
        line,
        column,
      });
    },
  );
});

const HEAD = 'oml_version: "0.1.0"\nname: good\n';

describe('validateOml on valid documents', () => {
  it('chains steps linearly when no step declares needs; read steps need nothing', () => {
    const { document } = validateOml(
      `${HEAD}steps:
  - { id: a, component: filesystem.csv_extractor, mode: read, config: { path: a.csv } }
  - { id: b, component: duckdb.processor, mode: transform, config: { query: SELECT 1 } }
  - { id: c, component: filesystem.csv_extractor, mode: read, config: { path: c.csv } }
  - { id: d, component: filesystem.csv_writer, mode: write, config: { path: d.csv } }
`,
      { registry },
    );
    expect(document?.steps.map((step) => [step.id, step.needs])).toEqual([
      ['a', []],
      ['b', ['a']],
      ['c', []],
      ['d', ['c']],
    ]);
  });

  it('converts upstream inputs to needs, merged with explicit needs in order', () => {
    const { document, diagnostics } = validateOml(
      `${HEAD}steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: u.csv } }
  - { id: orders, component: filesystem.csv_extractor, mode: read, config: { path: o.csv } }
  - id: join
    component: duckdb.processor
    mode: transform
    needs: [orders]
    inputs: { left: "\${users.df}" }
    config: { query: SELECT 1 }
`,
      { registry },
    );
    expect(diagnostics).toEqual([]);
    expect(document?.steps[2]?.needs).toEqual(['orders', 'users']);
  });

  it('keeps params unresolved in the document and x- extensions verbatim', () => {
    const { document } = validateOml(
      `${HEAD}x-owner: { team: data }
params: { file: { default: a.csv } }
steps:
  - { id: a, component: filesystem.csv_extractor, mode: read, config: { path: "\${params.file}" } }
`,
      { registry },
    );
    expect(document?.steps[0]?.config).toEqual({ path: '${params.file}' });
    expect(document?.extensions).toEqual({ 'x-owner': { team: 'data' } });
  });

  it('accepts secrets given as ${VAR} references', () => {
    const { diagnostics } = validateOml(
      `${HEAD}steps:
  - { id: a, component: filesystem.csv_extractor, mode: read, config: { path: a.csv } }
  - id: b
    component: mysql.writer
    mode: write
    needs: [a]
    config: { connection: "@mysql.shop", table: t }
`,
      { registry },
    );
    expect(diagnostics).toEqual([]);
  });
});
