import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDemoProject } from '../../src/demo/create-demo.js';
import { movieRatingsPipeline } from '../../src/demo/demo-pipelines.js';
import { AuditedTransport } from '../../src/mcp/audited-transport.js';
import { mcpClientConfig } from '../../src/mcp/client-config.js';
import { createOsirisMcpServer } from '../../src/mcp/create-osiris-mcp-server.js';
import { createMcpContext, type McpContext } from '../../src/mcp/mcp-context.js';
import { serveHttp } from '../../src/mcp/serve-http.js';
import { createAjv } from '../../src/registry/create-ajv.js';
import { callTool, textOf } from './mcp-client.js';

const PLANTED_PASSWORD = 'planted-Warehouse-pw-7Q2x';
const PLANTED_TOKEN = 'planted-env-token-K9d3';

const TOOL_NAMES = [
  'component_show',
  'components_list',
  'connections_doctor',
  'connections_list',
  'discovery_request',
  'oml_save',
  'oml_schema_get',
  'oml_validate',
  'pipeline_compile',
  'pipeline_run',
  'run_aiop',
  'run_show',
  'runs_list',
];

const READ_ONLY_PIPELINE = `oml_version: "0.1.0"
name: count-movies
steps:
  - id: extract-movies
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      table: movies
  - id: count
    component: duckdb.processor
    mode: transform
    needs: [extract-movies]
    config:
      query: SELECT count(*) AS movies FROM input_df
`;

let projectDir: string;
let context: McpContext;
let client: Client;
const seen: string[] = [];

beforeAll(async () => {
  projectDir = await mkdtemp(join(tmpdir(), 'osiris-mcp-'));
  await createDemoProject(projectDir);
  // A connection whose password comes from the environment: a planted secret to hunt for.
  await appendFile(
    join(projectDir, 'osiris_connections.yaml'),
    '  mysql:\n    warehouse:\n      host: 127.0.0.1\n      port: 1\n      user: etl\n      password: ${WAREHOUSE_PASSWORD}\n',
  );
  const env = {
    PATH: process.env.PATH,
    OSIRIS_HOME: projectDir,
    WAREHOUSE_PASSWORD: PLANTED_PASSWORD,
    PLANTED_API_TOKEN: PLANTED_TOKEN,
  };
  context = createMcpContext({ cwd: tmpdir(), env });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createOsirisMcpServer(context).connect(new AuditedTransport(serverSide, context.audit));
  client = new Client({ name: 'osiris-test', version: '1.0.0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client?.close();
});

describe('Osiris MCP server (in memory)', () => {
  it('uses the project from OSIRIS_HOME and lists every tool with an input schema', async () => {
    expect(context.projectDir).toBe(projectDir);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
    }
    const run = tools.find((tool) => tool.name === 'pipeline_run');
    expect(Object.keys(run?.inputSchema.properties ?? {})).toContain('approved');
    expect(run?.annotations?.destructiveHint).toBe(true);
  });

  it('lists connections with secrets masked and which variables are set', async () => {
    const { body } = await callTool(client, 'connections_list', {}, seen);
    const connections = body.connections as Array<Record<string, unknown>>;
    expect(connections.map((connection) => connection.ref)).toEqual(['@duckdb.movies', '@mysql.warehouse']);
    const warehouse = connections[1];
    expect(warehouse?.fields).toMatchObject({ host: '127.0.0.1', password: '***' });
    expect(warehouse?.variables).toEqual([{ variable: 'WAREHOUSE_PASSWORD', status: 'set' }]);
    expect(body.file).toBe('osiris_connections.yaml');
  });

  it('checks a connection with the doctor', async () => {
    const { body } = await callTool(client, 'connections_doctor', { connection: '@duckdb.movies' }, seen);
    expect(body.ok).toBe(true);
    expect((body.results as Array<{ status: string }>)[0]?.status).toBe('ok');
  });

  it('lists components by mode and shows one with its config keys and examples', async () => {
    const writers = await callTool(client, 'components_list', { mode: 'write' }, seen);
    const names = (writers.body.components as Array<{ name: string }>).map((component) => component.name);
    expect(names).toContain('filesystem.csv_writer');
    expect(names).not.toContain('duckdb.extractor');

    const shown = await callTool(client, 'component_show', { name: 'duckdb.processor' }, seen);
    expect(shown.body.name).toBe('duckdb.processor');
    expect((shown.body.fields as Array<{ name: string }>).map((field) => field.name)).toContain('query');
    expect(shown.body.guidance).toMatch(/df_/);

    const unknown = await callTool(client, 'component_show', { name: 'duckdb.procesor' }, seen);
    expect(unknown.result.isError).toBe(true);
    expect(unknown.error?.code).toBe('E_COMPONENT_UNKNOWN');
    expect(unknown.error?.hint).toContain('duckdb.processor');
    expect(textOf(unknown)).toContain('[E_COMPONENT_UNKNOWN]');
  });

  it('discovers the embedded movies database and finds a person by name', async () => {
    const { body } = await callTool(
      client,
      'discovery_request',
      { connection: '@duckdb.movies', samples: 2, search: 'Ava DuVernay' },
      seen,
    );
    expect(body.resource_uri).toBe('osiris://discovery/@duckdb.movies');
    const profile = body.profile as { tables: Array<{ name: string; sample?: { rows: unknown[] } }> };
    const tables = profile.tables.map((table) => table.name);
    expect(tables).toEqual(expect.arrayContaining(['movies', 'directors', 'reviews']));
    expect(profile.tables.find((table) => table.name === 'movies')?.sample?.rows).toHaveLength(2);
    const search = body.search as { hits: Array<{ table: string; column: string }> };
    expect(search.hits.some((hit) => hit.table === 'directors' && hit.column === 'name')).toBe(true);
  });

  it('returns a JSON Schema of OML that accepts the demo pipelines and rejects other formats', async () => {
    const { body } = await callTool(client, 'oml_schema_get', {}, seen);
    const validate = createAjv({ strict: false, allErrors: true }).compile(body.schema as object);
    expect(validate(parse(movieRatingsPipeline)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(parse(READ_ONLY_PIPELINE))).toBe(true);
    expect(validate({ version: 1, name: 'x', tasks: [] })).toBe(false);
    const unknownKey = parse(READ_ONLY_PIPELINE);
    unknownKey.steps[0].config.tabel = 'movies';
    expect(validate(unknownKey)).toBe(false);
    const wrongMode = parse(READ_ONLY_PIPELINE);
    wrongMode.steps[0].mode = 'write';
    expect(validate(wrongMode)).toBe(false);
  });

  it('validates a bad OML with positioned diagnostics and a good one with its steps', async () => {
    const bad = await callTool(
      client,
      'oml_validate',
      {
        oml: READ_ONLY_PIPELINE.replace('@duckdb.movies', '@duckdb.films').replace(
          'table: movies',
          'tabel: movies',
        ),
      },
      seen,
    );
    expect(bad.result.isError).toBeFalsy();
    expect(bad.body.ok).toBe(false);
    const diagnostics = bad.body.diagnostics as Array<{ code: string; line?: number; hint?: string }>;
    expect(diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(diagnostics.every((diagnostic) => typeof diagnostic.line === 'number')).toBe(true);
    expect(JSON.stringify(diagnostics)).toContain('tabel');
    expect(JSON.stringify(diagnostics)).toContain('@duckdb.films');

    const good = await callTool(client, 'oml_validate', { oml: READ_ONLY_PIPELINE }, seen);
    expect(good.body).toMatchObject({ ok: true, errors: 0, pipeline: { name: 'count-movies' } });

    const saved = await callTool(client, 'oml_validate', { pipeline: 'movie-ratings' }, seen);
    expect(saved.body.ok).toBe(true);

    const both = await callTool(client, 'oml_validate', { oml: READ_ONLY_PIPELINE, pipeline: 'x' }, seen);
    expect(both.error?.code).toBe('E_USAGE');
  });

  it('refuses arguments that do not match the schema', async () => {
    const outcome = await callTool(client, 'component_show', { name: 'duckdb.processor', extra: 1 }, seen);
    expect(outcome.result.isError).toBe(true);
  });

  it('saves OML atomically inside pipelines/ and refuses names that escape the project', async () => {
    const escaping = await callTool(
      client,
      'oml_save',
      { oml: READ_ONLY_PIPELINE, name: '../../evil' },
      seen,
    );
    expect(escaping.error?.code).toBe('E_PATH_ESCAPE');
    expect(existsSync(join(projectDir, '..', 'evil.yaml'))).toBe(false);

    const notAName = await callTool(
      client,
      'oml_save',
      { oml: READ_ONLY_PIPELINE, name: 'Count Movies' },
      seen,
    );
    expect(notAName.error?.code).toBe('E_USAGE');

    const invalid = await callTool(client, 'oml_save', { oml: 'oml_version: "0.1.0"\nname: broken\n' }, seen);
    expect(invalid.error?.code).toBe('E_INVALID_OML');
    expect(existsSync(join(projectDir, 'pipelines', 'broken.yaml'))).toBe(false);

    const saved = await callTool(client, 'oml_save', { oml: READ_ONLY_PIPELINE }, seen);
    expect(saved.body).toMatchObject({ saved: 'pipelines/count-movies.yaml', action: 'created' });
    expect(await readFile(join(projectDir, 'pipelines', 'count-movies.yaml'), 'utf8')).toBe(
      READ_ONLY_PIPELINE,
    );

    const changed = READ_ONLY_PIPELINE.replace('AS movies', 'AS movie_count');
    const refused = await callTool(client, 'oml_save', { oml: changed }, seen);
    expect(refused.error?.code).toBe('E_USAGE');
    expect(refused.error?.hint).toContain('overwrite');
    const replaced = await callTool(client, 'oml_save', { oml: changed, overwrite: true }, seen);
    expect(replaced.body.action).toBe('replaced');
  });

  it('compiles a saved pipeline and lists what it would write', async () => {
    const { body } = await callTool(client, 'pipeline_compile', { pipeline: 'movie-ratings' }, seen);
    expect(body).toMatchObject({ ok: true, pipeline: 'movie-ratings', build_dir: 'build/movie-ratings' });
    expect(body.writes).toEqual([
      expect.objectContaining({ step: 'write-csv', path: 'output/movie_ratings.csv' }),
      expect.objectContaining({ step: 'write-parquet', path: 'output/movie_ratings.parquet' }),
    ]);
    expect(existsSync(join(projectDir, 'build', 'movie-ratings', 'manifest.yaml'))).toBe(true);

    const escaping = await callTool(client, 'pipeline_compile', { pipeline: '../outside.yaml' }, seen);
    expect(escaping.error?.code).toBe('E_PATH_ESCAPE');
    const missing = await callTool(client, 'pipeline_compile', { pipeline: 'no-such-pipeline' }, seen);
    expect(missing.error?.code).toBe('E_FILE_NOT_FOUND');
    expect(missing.error?.hint).toContain('movie-ratings');
  });

  it('runs a pipeline with write steps only when approved, then shows the run', async () => {
    const refused = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings' }, seen);
    expect(refused.error?.code).toBe('E_APPROVAL_REQUIRED');
    expect(refused.error?.hint).toMatch(/ask/i);
    expect(refused.error?.message).toContain('output/movie_ratings.csv');
    expect(existsSync(join(projectDir, 'output', 'movie_ratings.csv'))).toBe(false);
    const notYet = await callTool(client, 'runs_list', {}, seen);
    expect(notYet.body.runs).toEqual([]);

    const ran = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings', approved: true }, seen);
    expect(ran.body).toMatchObject({ status: 'success', pipeline: 'movie-ratings' });
    const runId = String(ran.body.run_id);
    expect(ran.body.resource_uri).toBe(`osiris://runs/${runId}`);
    expect(existsSync(join(projectDir, 'output', 'movie_ratings.csv'))).toBe(true);

    const listed = await callTool(client, 'runs_list', { pipeline: 'movie-ratings' }, seen);
    expect((listed.body.runs as Array<{ run_id: string }>).map((run) => run.run_id)).toEqual([runId]);

    const shown = await callTool(client, 'run_show', { run_id: runId }, seen);
    expect(shown.body).toMatchObject({ run_id: runId, status: 'success' });
    const steps = shown.body.steps as Array<{ id: string; rows: number; status: string }>;
    expect(steps.find((step) => step.id === 'write-csv')).toMatchObject({ status: 'success' });
    expect(steps.find((step) => step.id === 'rate-movies')?.rows).toBeGreaterThan(0);

    const last = await callTool(client, 'run_show', { last: true, events: true }, seen);
    expect(last.body.run_id).toBe(runId);
    expect((last.body.events as Array<{ event: string }>).map((event) => event.event)).toContain(
      'run_complete',
    );

    const resource = await client.readResource({ uri: `osiris://runs/${runId}` });
    seen.push(JSON.stringify(resource));
    const content = resource.contents[0] as { text: string; mimeType?: string };
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text)).toMatchObject({ run_id: runId, status: 'success' });

    const { resources } = await client.listResources();
    const uris = resources.map((listedResource) => listedResource.uri);
    expect(uris).toContain(`osiris://runs/${runId}`);
    expect(uris).toContain('osiris://discovery/@duckdb.movies');
    expect(uris).toContain('osiris://discovery/@mysql.warehouse');

    const aiop = await callTool(client, 'run_aiop', { run_id: runId }, seen);
    expect(aiop.body).toMatchObject({
      package_dir: `.osiris/aiop/${runId}`,
      resource_uri: `osiris://aiop/${runId}`,
      aiop: { run: { run_id: runId, status: 'success', pipeline: 'movie-ratings' } },
    });
    const aiopResource = await client.readResource({ uri: `osiris://aiop/${runId}` });
    seen.push(JSON.stringify(aiopResource));
    const aiopContent = aiopResource.contents[0] as { text: string };
    expect(JSON.parse(aiopContent.text)).toEqual(aiop.body.aiop);
    expect(uris).toContain(`osiris://aiop/${runId}`);

    const unknownRun = await callTool(client, 'run_show', { run_id: 'run_nope' }, seen);
    expect(unknownRun.error?.code).toBe('E_RUN_NOT_FOUND');
    await expect(client.readResource({ uri: 'osiris://runs/run_nope' })).rejects.toThrow(/E_RUN_NOT_FOUND/);
  });

  it('runs a pipeline without write steps without asking', async () => {
    const ran = await callTool(client, 'pipeline_run', { pipeline: 'pipelines/count-movies.yaml' }, seen);
    expect(ran.body).toMatchObject({ status: 'success', pipeline: 'count-movies' });
  });

  it('reports a failed run as a tool error with the run summary and a way forward', async () => {
    const broken = READ_ONLY_PIPELINE.replace('count-movies', 'broken-count').replace(
      'table: movies',
      'table: no_such_table',
    );
    await callTool(client, 'oml_save', { oml: broken }, seen);
    const failed = await callTool(client, 'pipeline_run', { pipeline: 'broken-count' }, seen);
    expect(failed.error?.code).toBe('E_STEP_FAILED');
    const run = failed.error?.details?.run as {
      run_id: string;
      status: string;
      steps: Array<{ status: string }>;
    };
    expect(run.status).toBe('failed');
    expect(run.steps[0]?.status).toBe('failed');
    expect(failed.error?.message).toContain(run.run_id);
  });

  it('serves discovery profiles and the OML schema as resources', async () => {
    const discovery = await client.readResource({ uri: 'osiris://discovery/@duckdb.movies' });
    seen.push(JSON.stringify(discovery));
    const profile = JSON.parse((discovery.contents[0] as { text: string }).text);
    expect(profile).toMatchObject({ connection: '@duckdb.movies', family: 'duckdb' });
    const schema = await client.readResource({ uri: 'osiris://oml/schema' });
    expect(JSON.parse((schema.contents[0] as { text: string }).text).title).toBe('OML v0.1.0 pipeline');
  });

  it('offers a prompt that teaches OML from the component specs', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(['write_oml_pipeline']);
    const prompt = await client.getPrompt({
      name: 'write_oml_pipeline',
      arguments: { goal: 'movies per director as CSV' },
    });
    const text = (prompt.messages[0]?.content as { text?: string } | undefined)?.text ?? '';
    expect(text).toContain('movies per director as CSV');
    expect(text).toContain('oml_version: "0.1.0"');
    for (const name of ['mysql.extractor', 'duckdb.processor', 'filesystem.csv_writer'])
      expect(text).toContain(`### ${name}`);
    expect(text).toContain('approved: true');
  });

  it('never puts a secret in any result', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) {
      expect(text).not.toContain(PLANTED_PASSWORD);
      expect(text).not.toContain(PLANTED_TOKEN);
    }
  });

  it('logs every call to the audit log with sizes and outcome but no argument values', async () => {
    const lines = (await readFile(join(projectDir, '.osiris', 'mcp', 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const toolLines = lines.filter((line) => line.kind === 'tool');
    expect(toolLines.length).toBe(seen.filter((text) => !text.includes('"contents"')).length);
    const save = toolLines.find((line) => line.name === 'oml_save' && line.ok);
    expect(save).toMatchObject({ argument_keys: ['oml'], ok: true });
    expect(save.argument_bytes).toBeGreaterThan(READ_ONLY_PIPELINE.length);
    expect(save.result_bytes).toBeGreaterThan(0);
    expect(typeof save.duration_ms).toBe('number');
    expect(toolLines.find((line) => line.name === 'pipeline_run' && !line.ok)?.error_code).toBe(
      'E_APPROVAL_REQUIRED',
    );
    // The call the SDK rejected for its arguments is logged too.
    expect(toolLines.some((line) => line.name === 'component_show' && line.error_code === 'E_USAGE')).toBe(
      true,
    );
    expect(lines.some((line) => line.kind === 'resource' && line.name === 'osiris://runs')).toBe(true);
    const raw = await readFile(join(projectDir, '.osiris', 'mcp', 'audit.jsonl'), 'utf8');
    expect(raw).not.toContain('SELECT');
    expect(raw).not.toContain('Ava DuVernay');
  });
});

describe('mcpClientConfig', () => {
  const launch = { command: '/opt/osiris/bin/osiris.js', args: ['mcp', 'serve'], projectDir: '/srv/etl' };

  it('prints the shape each client reads', () => {
    const server = { command: launch.command, args: ['mcp', 'serve'], env: { OSIRIS_HOME: '/srv/etl' } };
    expect(mcpClientConfig('claude', launch)).toEqual({ mcpServers: { osiris: server } });
    expect(mcpClientConfig('cursor', launch)).toEqual({ mcpServers: { osiris: server } });
    expect(mcpClientConfig('vscode', launch)).toEqual({ servers: { osiris: { type: 'stdio', ...server } } });
    expect(() => mcpClientConfig('emacs', launch)).toThrow(
      expect.objectContaining({ code: 'E_USAGE', hint: 'use one of: claude, cursor, vscode' }),
    );
  });
});

describe('streamable HTTP transport', () => {
  it('serves on 127.0.0.1 and refuses requests for another host', async () => {
    const server = await serveHttp(context, { port: 0 });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/mcp`);
      const httpClient = new Client({ name: 'osiris-http-test', version: '1.0.0' });
      await httpClient.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      const { tools } = await httpClient.listTools();
      expect(tools).toHaveLength(TOOL_NAMES.length);
      const { body } = await callTool(httpClient, 'components_list', {});
      expect((body.components as unknown[]).length).toBeGreaterThan(5);
      await httpClient.close();

      // A page on another site reaching the port through DNS rebinding sends its own Host.
      expect(await postStatus(server.port, '/mcp', { host: 'evil.example' })).toBe(403);
      expect(await postStatus(server.port, '/mcp', { origin: 'http://evil.example' })).toBe(403);
      expect(await postStatus(server.port, '/other', {})).toBe(404);
      expect(await postStatus(server.port, '/mcp', {})).toBe(400);
    } finally {
      await server.close();
    }
  });
});

/** Status of a POST with the given extra headers (node:http, because fetch will not send a foreign Host). */
function postStatus(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end('{}');
  });
}
