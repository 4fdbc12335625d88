import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDefaultRegistry } from '../composition/builtins.js';
import { findTemplates } from '../connections/env-template.js';
import { loadConnections } from '../connections/load-connections.js';
import { parseConnectionsFile } from '../connections/parse-connections-file.js';
import { validateOml } from '../oml/index.js';
import { isOsirisError } from '../spec/errors.js';
import { initProject } from './init-project.js';

function tempDir(): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'osiris-init-')));
}

const SCAFFOLD = [
  'osiris_connections.yaml',
  '.env.example',
  'pipelines/example.yaml',
  'data/example.csv',
  '.gitignore',
];

describe('initProject', () => {
  it('creates the scaffold in a new folder', () => {
    const dir = path.join(tempDir(), 'my-project');
    const result = initProject({ dir });
    expect(result.dir).toBe(dir);
    expect(result.files).toEqual(SCAFFOLD.map((file) => ({ path: file, action: 'created' })));
    for (const file of SCAFFOLD) expect(existsSync(path.join(dir, file)), file).toBe(true);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('.osiris/\nbuild/\noutput/\n.env\n');
    // Atomic writes leave no temp files behind.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a connections file with no active connection whose commented examples are valid once uncommented', () => {
    const dir = tempDir();
    initProject({ dir });
    const text = readFileSync(path.join(dir, 'osiris_connections.yaml'), 'utf8');
    expect(loadConnections({ cwd: dir, env: {} }).connections).toEqual([]);

    const uncommented = text.replace(/^ {2}# ([a-z]+:)$/gm, '  $1').replace(/^ {2}# {3}/gm, '    ');
    const connections = parseConnectionsFile(uncommented, path.join(dir, 'osiris_connections.yaml'));
    expect(connections.map((connection) => `@${connection.family}.${connection.alias}`)).toEqual([
      '@mysql.movies',
      '@postgres.warehouse',
      '@supabase.main',
      '@duckdb.local',
      '@sqlite.local',
    ]);
    expect(connections.every((connection) => connection.isDefault)).toBe(true);
    // Real values appear only as ${VAR} references.
    for (const connection of connections) {
      for (const [field, value] of Object.entries(connection.fields)) {
        expect(
          typeof value === 'string' && /^\$\{[A-Z_]+(:-[^}]*)?\}$/.test(value),
          `${connection.alias}.${field}`,
        ).toBe(true);
      }
    }
  });

  it('lists in .env.example every variable the connections file reads', () => {
    const dir = tempDir();
    initProject({ dir });
    // The example fields are the commented lines indented under an alias; the header only explains the syntax.
    const fieldLines = readFileSync(path.join(dir, 'osiris_connections.yaml'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('  #     '));
    const variables = fieldLines.flatMap((line) => findTemplates(line).map((template) => template.variable));
    const listed = readFileSync(path.join(dir, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(variables.length).toBeGreaterThanOrEqual(15);
    expect(listed.sort()).toEqual([...new Set(variables)].sort());
    expect(listed).toContain('MYSQL_PASSWORD');
    expect(listed).toContain('SUPABASE_SERVICE_ROLE_KEY');
  });

  it('writes an example pipeline: CSV → duckdb.processor over input_df → CSV, valid OML', () => {
    const dir = tempDir();
    initProject({ dir });
    const text = readFileSync(path.join(dir, 'pipelines/example.yaml'), 'utf8');
    const pipeline = parse(text);
    expect(pipeline.oml_version).toBe('0.1.0');
    expect(
      pipeline.steps.map((step: Record<string, unknown>) => [step.id, step.component, step.mode, step.needs]),
    ).toEqual([
      ['read-movies', 'filesystem.csv_extractor', 'read', undefined],
      ['top-movies', 'duckdb.processor', 'transform', ['read-movies']],
      ['write-top-movies', 'filesystem.csv_writer', 'write', ['top-movies']],
    ]);
    expect(pipeline.steps[0].config.path).toBe('data/example.csv');
    expect(pipeline.steps[1].config.query).toContain('from input_df');
    expect(pipeline.steps[2].config.path).toBe('output/example.csv');
    const { diagnostics } = validateOml(text, {
      file: 'pipelines/example.yaml',
      registry: createDefaultRegistry(),
    });
    expect(diagnostics).toEqual([]);

    const csv = readFileSync(path.join(dir, 'data/example.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,title,year,rating');
    expect(csv.length).toBeGreaterThan(4);
  });

  it('refuses to overwrite existing files and lists them; --force overwrites them', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'pipelines'));
    writeFileSync(path.join(dir, 'pipelines/example.yaml'), 'mine\n');
    writeFileSync(path.join(dir, '.env.example'), 'MINE=1\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'keep me\n');

    let caught: unknown;
    try {
      initProject({ dir });
    } catch (error) {
      caught = error;
    }
    expect(isOsirisError(caught) && caught.code).toBe('E_USAGE');
    expect(isOsirisError(caught) && caught.message).toBe(
      `Refusing to overwrite existing files in ${dir}: .env.example, pipelines/example.yaml`,
    );
    expect(isOsirisError(caught) && caught.hint).toContain('--force');
    // Nothing was written.
    expect(existsSync(path.join(dir, 'osiris_connections.yaml'))).toBe(false);
    expect(readFileSync(path.join(dir, 'pipelines/example.yaml'), 'utf8')).toBe('mine\n');

    const result = initProject({ dir, force: true });
    expect(result.files.filter((file) => file.action === 'overwritten').map((file) => file.path)).toEqual([
      '.env.example',
      'pipelines/example.yaml',
    ]);
    expect(readFileSync(path.join(dir, 'pipelines/example.yaml'), 'utf8')).toContain('oml_version');
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('appends only the missing entries to an existing .gitignore', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules\nbuild\n.env');
    const result = initProject({ dir });
    expect(result.files.find((file) => file.path === '.gitignore')?.action).toBe('updated');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\nbuild\n.env\n.osiris/\noutput/\n',
    );
    const again = initProject({ dir, force: true });
    expect(again.files.find((file) => file.path === '.gitignore')?.action).toBe('unchanged');
  });

  it('refuses a path that is a file', () => {
    const file = path.join(tempDir(), 'file.txt');
    writeFileSync(file, 'x');
    expect(() => initProject({ dir: file })).toThrow(/is not a folder/);
  });
});
