import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIfServers, requireTestServer, TEST_SERVER_PASSWORD } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { filesContaining } from '../support/project.js';
import { ensureBuiltServer, OSIRIS_BIN } from './built-server.js';
import { callTool } from './mcp-client.js';

const PLANTED_ENV_SECRET = 'planted-service-token-Zq81';

const AVA_FILMS = `oml_version: "0.1.0"
name: ava-films
description: Ava DuVernay's films from the movies database, as CSV.
steps:
  - id: extract-films
    component: mysql.extractor
    mode: read
    config:
      connection: "@mysql.movies"
      query: >-
        SELECT m.title, m.release_year FROM movies m JOIN directors d ON d.id = m.director_id
        WHERE d.name = 'Ava DuVernay' ORDER BY m.release_year, m.title
  - id: write-csv
    component: filesystem.csv_writer
    mode: write
    needs: [extract-films]
    config:
      path: output/ava_films.csv
`;

// Both suites spawn the built CLI; building once here keeps two tsc runs from racing over dist/.
beforeAll(() => {
  ensureBuiltServer();
});

describeIfServers('mysql', 'osiris mcp serve over stdio (SDK client, real MariaDB)', () => {
  let projectDir: string;
  let client: Client;
  let stderr = '';
  const seen: string[] = [];

  beforeAll(async () => {
    const mysql = requireTestServer('mysql');
    projectDir = await mkdtemp(join(tmpdir(), 'osiris-mcp-stdio-'));
    await writeFile(
      join(projectDir, 'osiris_connections.yaml'),
      [
        'version: 1',
        'connections:',
        '  mysql:',
        '    movies:',
        '      default: true',
        `      host: ${mysql.host}`,
        `      port: ${mysql.port}`,
        `      user: ${mysql.user}`,
        '      password: ${MOVIES_DB_PASSWORD}',
        `      database: ${mysql.database}`,
        '',
      ].join('\n'),
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [OSIRIS_BIN, 'mcp', 'serve'],
      // The server finds its project through OSIRIS_HOME, not its working folder.
      cwd: tmpdir(),
      env: {
        OSIRIS_HOME: projectDir,
        MOVIES_DB_PASSWORD: TEST_SERVER_PASSWORD,
        PLANTED_SERVICE_TOKEN: PLANTED_ENV_SECRET,
        NO_COLOR: '1',
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    client = new Client({ name: 'osiris-stdio-test', version: '1.0.0' });
    await client.connect(transport);
  });

  afterAll(async () => {
    await client?.close();
  });

  it('lists the tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'connections_list',
      'connections_doctor',
      'components_list',
      'component_show',
      'discovery_request',
      'oml_schema_get',
      'oml_validate',
      'oml_save',
      'pipeline_compile',
      'pipeline_run',
      'runs_list',
      'run_show',
      'run_aiop',
    ]);
    expect(stderr).toContain(`serving project ${projectDir}`);
  });

  it('validates a bad and a good OML', async () => {
    const bad = await callTool(
      client,
      'oml_validate',
      { oml: AVA_FILMS.replace('mysql.extractor', 'mysql.extracter').replace('"0.1.0"', '0.1') },
      seen,
    );
    expect(bad.body.ok).toBe(false);
    const codes = (bad.body.diagnostics as Array<{ message: string; hint?: string }>).map(
      (diagnostic) => `${diagnostic.message} ${diagnostic.hint ?? ''}`,
    );
    expect(codes.join('\n')).toContain('mysql.extractor');
    expect(codes.join('\n')).toContain('oml_version');

    const good = await callTool(client, 'oml_validate', { oml: AVA_FILMS }, seen);
    expect(good.body).toMatchObject({ ok: true, errors: 0 });
  });

  it('discovers the movies database on MariaDB and finds Ava DuVernay', async () => {
    const { body, result } = await callTool(
      client,
      'discovery_request',
      { connection: '@mysql.movies', samples: 3, search: 'Ava DuVernay' },
      seen,
    );
    expect(result.isError).toBeFalsy();
    const profile = body.profile as {
      family: string;
      tables: Array<{ name: string; columns: Array<{ name: string }>; primary_key: string[] }>;
    };
    expect(profile.family).toBe('mysql');
    const movies = profile.tables.find((table) => table.name === 'movies');
    expect(movies?.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['id', 'title', 'director_id']),
    );
    expect(movies?.primary_key).toEqual(['id']);
    const search = body.search as { hits: Array<{ table: string; rows: Array<Record<string, unknown>> }> };
    const director = search.hits.find((hit) => hit.table === 'directors');
    expect(director?.rows[0]).toMatchObject({ name: 'Ava DuVernay' });
  });

  it('saves, compiles and runs a pipeline only with approval, then reads the run summary', async () => {
    const saved = await callTool(client, 'oml_save', { oml: AVA_FILMS }, seen);
    expect(saved.body).toMatchObject({ saved: 'pipelines/ava-films.yaml' });

    const compiled = await callTool(client, 'pipeline_compile', { pipeline: 'ava-films' }, seen);
    expect(compiled.body).toMatchObject({ ok: true, build_dir: 'build/ava-films' });
    expect(compiled.body.writes).toEqual([
      expect.objectContaining({ step: 'write-csv', path: 'output/ava_films.csv' }),
    ]);

    const refused = await callTool(client, 'pipeline_run', { pipeline: 'ava-films' }, seen);
    expect(refused.result.isError).toBe(true);
    expect(refused.error?.code).toBe('E_APPROVAL_REQUIRED');
    expect(existsSync(join(projectDir, 'output', 'ava_films.csv'))).toBe(false);

    const ran = await callTool(client, 'pipeline_run', { pipeline: 'ava-films', approved: true }, seen);
    expect(ran.result.isError, JSON.stringify(ran.body)).toBeFalsy();
    expect(ran.body).toMatchObject({ status: 'success', pipeline: 'ava-films' });
    const csv = (await readFile(join(projectDir, 'output', 'ava_films.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('title,release_year');
    expect(csv).toContain('Selma,2014');

    const runId = String(ran.body.run_id);
    const shown = await callTool(client, 'run_show', { run_id: runId }, seen);
    expect(shown.body).toMatchObject({ run_id: runId, status: 'success', pipeline: 'ava-films' });
    const extract = (shown.body.steps as Array<{ id: string; rows: number }>).find(
      (step) => step.id === 'extract-films',
    );
    expect(extract?.rows).toBe(csv.length - 1);

    const resource = await client.readResource({ uri: `osiris://runs/${runId}` });
    seen.push(JSON.stringify(resource));
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({
      run_id: runId,
      status: 'success',
    });
  });

  it('checks the connection and lists it without its password', async () => {
    await callTool(client, 'connections_doctor', { connection: '@mysql.movies' }, seen);
    const listed = await callTool(client, 'connections_list', {}, seen);
    const [movies] = listed.body.connections as Array<{ fields: Record<string, unknown> }>;
    expect(movies?.fields.password).toBe('***');
  });

  it('never puts the database password or an environment secret in a result, a log or a file', async () => {
    expect(seen.length).toBeGreaterThanOrEqual(10);
    for (const text of seen) {
      expect(text).not.toContain(TEST_SERVER_PASSWORD);
      expect(text).not.toContain(PLANTED_ENV_SECRET);
    }
    expect(stderr).not.toContain(TEST_SERVER_PASSWORD);
    expect(await filesContaining(projectDir, TEST_SERVER_PASSWORD)).toEqual([]);
    expect(await filesContaining(projectDir, PLANTED_ENV_SECRET)).toEqual([]);
  });

  it('writes one audit line per call with durations and sizes', async () => {
    const lines = (await readFile(join(projectDir, '.osiris', 'mcp', 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const tools = lines.filter((line) => line.kind === 'tool');
    expect(tools).toHaveLength(seen.length - 1);
    expect(tools.map((line) => line.name)).toContain('discovery_request');
    for (const line of tools) {
      expect(typeof line.duration_ms).toBe('number');
      expect(line.argument_bytes).toBeGreaterThan(0);
      expect(line.result_bytes).toBeGreaterThan(0);
    }
    expect(tools.find((line) => line.name === 'pipeline_run' && line.ok === false)).toMatchObject({
      error_code: 'E_APPROVAL_REQUIRED',
    });
  });
});

describe('osiris mcp config', () => {
  let projectDir: string;

  beforeAll(async () => {
    projectDir = await mkdtemp(join(tmpdir(), 'osiris-mcp-config-'));
    await writeFile(join(projectDir, 'osiris_connections.yaml'), 'version: 1\nconnections: {}\n');
  });

  it('prints a Claude snippet that starts this osiris binary on the current project', async () => {
    const result = await runCli(['mcp', 'config', '--client', 'claude'], {
      cwd: projectDir,
      env: { OSIRIS_HOME: undefined },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      mcpServers: {
        osiris: { command: OSIRIS_BIN, args: ['mcp', 'serve'], env: { OSIRIS_HOME: projectDir } },
      },
    });
    expect(result.stderr).toContain('claude_desktop_config.json');
  });

  it('prints the VS Code shape, and an npx launch on request', async () => {
    const result = await runCli(['mcp', 'config', '--client', 'vscode', '--npx', '--project', projectDir], {
      cwd: tmpdir(),
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      servers: {
        osiris: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', 'osiris-etl', 'mcp', 'serve'],
          env: { OSIRIS_HOME: projectDir },
        },
      },
    });
  });

  it('refuses an unknown client and a bad port with exit code 2', async () => {
    const client = await runCli(['mcp', 'config', '--client', 'emacs'], { cwd: projectDir });
    expect(client.code).toBe(2);
    expect(client.stderr).toContain('claude, cursor, vscode');
    const port = await runCli(['mcp', 'serve', '--http', 'eighty'], { cwd: projectDir });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--http');
  });
});
