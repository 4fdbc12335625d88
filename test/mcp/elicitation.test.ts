import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProject } from '../../src/demo/create-demo.js';
import { AuditedTransport } from '../../src/mcp/audited-transport.js';
import { createOsirisMcpServer } from '../../src/mcp/create-osiris-mcp-server.js';
import { createMcpContext, type McpContext } from '../../src/mcp/mcp-context.js';
import { serveHttp } from '../../src/mcp/serve-http.js';
import { callTool } from './mcp-client.js';

/** The demo's movie-ratings pipeline writes output/movie_ratings.csv and .parquet. */
const CSV = join('output', 'movie_ratings.csv');

interface Human {
  /** Every confirmation the server asked for. */
  asked: ElicitRequest['params'][];
  /** `fail`: the client answers the request with an error. */
  answer: ElicitResult['action'] | 'fail';
}

const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

async function project(): Promise<McpContext> {
  const projectDir = await mkdtemp(join(tmpdir(), 'osiris-mcp-elicit-'));
  await createDemoProject(projectDir);
  return createMcpContext({ cwd: tmpdir(), env: { PATH: process.env.PATH, OSIRIS_HOME: projectDir } });
}

/** A real SDK client; with a human, it declares elicitation and answers every request as told. */
function createClient(human?: Human): Client {
  const client = new Client(
    { name: 'osiris-elicitation-test', version: '1.0.0' },
    human ? { capabilities: { elicitation: {} } } : {},
  );
  if (human) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      human.asked.push(request.params);
      if (human.answer === 'fail') throw new Error('the confirmation dialog could not be shown');
      return human.answer === 'accept' ? { action: 'accept', content: {} } : { action: human.answer };
    });
  }
  clients.push(client);
  return client;
}

async function connectInMemory(context: McpContext, human?: Human): Promise<Client> {
  const client = createClient(human);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createOsirisMcpServer(context).connect(new AuditedTransport(serverSide, context.audit));
  await client.connect(clientSide);
  return client;
}

async function runCount(client: Client): Promise<number> {
  const { body } = await callTool(client, 'runs_list', {});
  return (body.runs as unknown[]).length;
}

describe('pipeline_run asks the human through MCP elicitation when the client supports it', () => {
  it('runs when the human accepts, and tells the human what will be written', async () => {
    const context = await project();
    const human: Human = { asked: [], answer: 'accept' };
    const client = await connectInMemory(context, human);

    const ran = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings', approved: true });

    expect(ran.error).toBeUndefined();
    expect(ran.body).toMatchObject({ status: 'success', pipeline: 'movie-ratings', approval: 'elicitation' });
    expect(existsSync(join(context.projectDir, CSV))).toBe(true);
    expect(human.asked).toHaveLength(1);
    const [request] = human.asked;
    expect(request?.mode ?? 'form').toBe('form');
    expect(request?.message).toContain('Run pipeline movie-ratings now?');
    expect(request?.message).toContain('output/movie_ratings.csv');
    expect(request?.message).toContain('output/movie_ratings.parquet');
  });

  it.each(['decline', 'cancel'] as const)('runs nothing when the human answers %s', async (answer) => {
    const context = await project();
    const human: Human = { asked: [], answer };
    const client = await connectInMemory(context, human);

    const refused = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings', approved: true });

    expect(human.asked).toHaveLength(1);
    expect(refused.error?.code).toBe('E_APPROVAL_REQUIRED');
    expect(refused.error?.message).toContain(
      answer === 'decline' ? 'the user declined' : 'the user dismissed the request',
    );
    expect(refused.error?.hint).toMatch(/Do not call pipeline_run for this pipeline again/);
    expect(refused.error?.details).toMatchObject({ pipeline: 'movie-ratings', asked: 'elicitation', answer });
    expect(existsSync(join(context.projectDir, CSV))).toBe(false);
    expect(await runCount(client)).toBe(0);
  });

  it('runs nothing when the client fails to ask: an unanswered confirmation is not a yes', async () => {
    const context = await project();
    const human: Human = { asked: [], answer: 'fail' };
    const client = await connectInMemory(context, human);

    const refused = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings', approved: true });

    expect(human.asked).toHaveLength(1);
    expect(refused.error?.code).toBe('E_APPROVAL_REQUIRED');
    expect(refused.error?.message).toContain('the user could not be asked to confirm');
    expect(refused.error?.message).toContain('the confirmation dialog could not be shown');
    expect(existsSync(join(context.projectDir, CSV))).toBe(false);
    expect(await runCount(client)).toBe(0);
  });

  it('still refuses without approved: true, and does not ask the human for the model', async () => {
    const context = await project();
    const human: Human = { asked: [], answer: 'accept' };
    const client = await connectInMemory(context, human);

    const refused = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings' });

    expect(refused.error?.code).toBe('E_APPROVAL_REQUIRED');
    expect(human.asked).toEqual([]);
    expect(existsSync(join(context.projectDir, CSV))).toBe(false);
  });

  it('runs a pipeline without write steps without asking', async () => {
    const context = await project();
    const human: Human = { asked: [], answer: 'decline' };
    const client = await connectInMemory(context, human);
    await callTool(client, 'oml_save', {
      oml: [
        'oml_version: "0.1.0"',
        'name: count-movies',
        'steps:',
        '  - id: extract-movies',
        '    component: duckdb.extractor',
        '    mode: read',
        '    config: { connection: "@duckdb.movies", table: movies }',
        '',
      ].join('\n'),
    });

    const ran = await callTool(client, 'pipeline_run', { pipeline: 'count-movies' });

    expect(ran.body).toMatchObject({ status: 'success', pipeline: 'count-movies' });
    expect(ran.body.approval).toBeUndefined();
    expect(human.asked).toEqual([]);
  });

  it('asks over streamable HTTP on the call’s own stream', async () => {
    const context = await project();
    const server = await serveHttp(context, { port: 0 });
    try {
      const human: Human = { asked: [], answer: 'accept' };
      const client = createClient(human);
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));

      const ran = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings', approved: true });

      expect(ran.body).toMatchObject({ status: 'success', approval: 'elicitation' });
      expect(human.asked).toHaveLength(1);
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('pipeline_run with a client that cannot elicit', () => {
  it('keeps the flag as the gate: refused without approved: true, run with it', async () => {
    const context = await project();
    const client = await connectInMemory(context);
    expect(client.getServerCapabilities()?.tools).toBeDefined();

    const refused = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings' });
    expect(refused.error?.code).toBe('E_APPROVAL_REQUIRED');
    expect(existsSync(join(context.projectDir, CSV))).toBe(false);

    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'pipeline_run')?.annotations?.destructiveHint).toBe(true);

    const ran = await callTool(client, 'pipeline_run', { pipeline: 'movie-ratings', approved: true });
    expect(ran.body).toMatchObject({ status: 'success', approval: 'approved_flag' });
    expect(existsSync(join(context.projectDir, CSV))).toBe(true);
  });
});
