import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConnectionsFile } from './find-connections-file.js';
import { loadConnections } from './load-connections.js';

function tempDir(): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'osiris-connections-')));
}

function writeConnections(folder: string, alias: string): string {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'osiris_connections.yaml');
  writeFileSync(
    file,
    `version: 1\nconnections:\n  duckdb:\n    ${alias}:\n      path: data/${alias}.duckdb\n`,
  );
  return file;
}

describe('findConnectionsFile', () => {
  it('prefers $OSIRIS_HOME, then the cwd, then the nearest parent', () => {
    const root = tempDir();
    const home = path.join(root, 'home');
    const project = path.join(root, 'project');
    const nested = path.join(project, 'pipelines', 'deep');
    mkdirSync(nested, { recursive: true });
    const homeFile = writeConnections(home, 'home');
    const projectFile = writeConnections(project, 'project');

    expect(findConnectionsFile({ cwd: nested, env: { OSIRIS_HOME: home } })).toBe(homeFile);
    expect(findConnectionsFile({ cwd: nested, env: {} })).toBe(projectFile);
    const nestedFile = writeConnections(nested, 'nested');
    expect(findConnectionsFile({ cwd: nested, env: {} })).toBe(nestedFile);
  });

  it('falls back to the cwd and parents when $OSIRIS_HOME has no file', () => {
    const root = tempDir();
    const projectFile = writeConnections(root, 'project');
    const emptyHome = path.join(root, 'empty-home');
    mkdirSync(emptyHome);
    expect(findConnectionsFile({ cwd: root, env: { OSIRIS_HOME: emptyHome } })).toBe(projectFile);
  });

  it('resolves a relative $OSIRIS_HOME against the cwd', () => {
    const root = tempDir();
    const homeFile = writeConnections(path.join(root, 'config'), 'home');
    expect(findConnectionsFile({ cwd: root, env: { OSIRIS_HOME: 'config' } })).toBe(homeFile);
  });
});

describe('loadConnections', () => {
  it('returns an empty list and the cwd as project folder when there is no file', () => {
    const root = tempDir();
    // Guard: the test only means something if no folder above the temp dir has a connections file.
    if (findConnectionsFile({ cwd: root, env: {} }) !== undefined) return;
    const config = loadConnections({ cwd: root, env: {} });
    expect(config).toMatchObject({ projectDir: root, connections: [] });
    expect(config.file).toBeUndefined();
  });

  it('reads connections with their file, line and default flag; the project folder is the file folder', () => {
    const root = tempDir();
    const file = path.join(root, 'osiris_connections.yaml');
    writeFileSync(
      file,
      'version: 1\nconnections:\n  mysql:\n    movies:\n      default: true\n      host: db\n      password: ${MYSQL_PASSWORD}\n    analytics:\n      host: other\n',
    );
    const nested = path.join(root, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    const config = loadConnections({ cwd: nested, env: {} });
    expect(config.file).toBe(file);
    expect(config.projectDir).toBe(root);
    expect(config.connections).toEqual([
      {
        family: 'mysql',
        alias: 'movies',
        isDefault: true,
        fields: { host: 'db', password: '${MYSQL_PASSWORD}' },
        file,
        line: 4,
      },
      { family: 'mysql', alias: 'analytics', isDefault: false, fields: { host: 'other' }, file, line: 8 },
    ]);
  });

  it('reads .env from the project folder without touching process.env; the process environment wins', () => {
    const root = tempDir();
    writeConnections(root, 'local');
    writeFileSync(
      path.join(root, '.env'),
      'FROM_DOTENV=dotenv-value\nBOTH=dotenv-loses\n# comment\nQUOTED="a b"\n',
    );
    const nested = path.join(root, 'sub');
    mkdirSync(nested);
    const config = loadConnections({
      cwd: nested,
      env: { BOTH: 'process-wins', ONLY_PROCESS: 'p', UNSET: undefined },
    });
    expect(config.env).toMatchObject({
      FROM_DOTENV: 'dotenv-value',
      BOTH: 'process-wins',
      ONLY_PROCESS: 'p',
      QUOTED: 'a b',
    });
    expect(process.env.FROM_DOTENV).toBeUndefined();
  });

  it('keeps a .env value when the process variable is explicitly undefined', () => {
    const root = tempDir();
    writeConnections(root, 'local');
    writeFileSync(path.join(root, '.env'), 'TOKEN=from-dotenv\n');
    expect(loadConnections({ cwd: root, env: { TOKEN: undefined } }).env.TOKEN).toBe('from-dotenv');
  });

  it('treats an empty file or an empty `connections:` as no connections', () => {
    const root = tempDir();
    const file = path.join(root, 'osiris_connections.yaml');
    writeFileSync(file, '');
    expect(loadConnections({ cwd: root, env: {} }).connections).toEqual([]);
    writeFileSync(file, 'version: 1\nconnections:\n  # mysql:\n  #   movies: {}\n');
    expect(loadConnections({ cwd: root, env: {} })).toMatchObject({ file, connections: [] });
  });
});
