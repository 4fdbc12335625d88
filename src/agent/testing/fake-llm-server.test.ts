import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeLlmServer, startFakeLlmServer } from './fake-llm-server.js';
import type { ScenarioStep } from './scenario.js';

// The SDK prints a warning per call for settings a provider ignores; tests read results, not logs.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const API_KEY = 'sk-test-never-sent-in-prompts';

/** Every provider client the agent can use, pointed at the fake server by base URL. */
const providers: { label: string; protocol: string; model: (server: FakeLlmServer) => LanguageModel }[] = [
  {
    label: 'openai chat completions',
    protocol: 'openai-chat',
    model: (server) => createOpenAI({ baseURL: server.openaiBaseUrl, apiKey: API_KEY }).chat('gpt-4o-mini'),
  },
  {
    label: 'openai responses',
    protocol: 'openai-responses',
    model: (server) => createOpenAI({ baseURL: server.openaiBaseUrl, apiKey: API_KEY })('gpt-4o-mini'),
  },
  {
    label: 'anthropic messages',
    protocol: 'anthropic-messages',
    model: (server) =>
      createAnthropic({ baseURL: server.anthropicBaseUrl, apiKey: API_KEY })('claude-sonnet-4-5'),
  },
  {
    label: 'openai-compatible (ollama)',
    protocol: 'openai-chat',
    model: (server) =>
      createOpenAICompatible({
        name: 'ollama',
        baseURL: server.openaiBaseUrl,
        apiKey: API_KEY,
        includeUsage: true,
      })('llama3.2'),
  },
];

const twoStepScenario: ScenarioStep[] = [
  {
    name: 'search',
    expect: { lastUserMessageContains: 'Ava', toolsInclude: ['search_values'], systemContains: 'Osiris' },
    respond: {
      text: 'Let me look that up.',
      toolCalls: [
        { name: 'search_values', arguments: { value: 'Ava DuVernay', columns: ['name', 'director'] } },
      ],
      usage: { input: 120, output: 17 },
      chunkSize: 3,
    },
  },
  {
    name: 'answer',
    expect: { toolResultContains: { tool: 'search_values', text: 'Selma' } },
    respond: { text: 'Ava DuVernay directed Selma (2014).', usage: { input: 200, output: 11 }, chunkSize: 4 },
  },
];

function searchValuesTool(calls: unknown[]) {
  return tool({
    description: 'Find a literal value across text columns',
    inputSchema: z.object({ value: z.string(), columns: z.array(z.string()) }),
    execute: async (input) => {
      calls.push(input);
      return { matches: [{ table: 'movies', column: 'director', row: { title: 'Selma', year: 2014 } }] };
    },
  });
}

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(scenario: ScenarioStep[], strict?: boolean): Promise<FakeLlmServer> {
  server = await startFakeLlmServer({ scenario, ...(strict === undefined ? {} : { strict }) });
  return server;
}

function expectNoCredentialSent(fake: FakeLlmServer): void {
  for (const request of fake.requests) {
    expect(JSON.stringify(request)).not.toContain(API_KEY);
    expect(Object.keys(request.headers)).not.toContain('authorization');
    expect(Object.keys(request.headers)).not.toContain('x-api-key');
  }
}

describe.each(providers)('$label through the real AI SDK', ({ protocol, model }) => {
  const prompt = {
    system: 'You are Osiris, an ETL assistant.',
    prompt: 'Which films did Ava DuVernay direct?',
  };

  it('runs a tool call and a final answer with generateText', async () => {
    const fake = await start(twoStepScenario);
    const calls: unknown[] = [];
    const result = await generateText({
      model: model(fake),
      ...prompt,
      tools: { search_values: searchValuesTool(calls) },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    });

    expect(calls).toEqual([{ value: 'Ava DuVernay', columns: ['name', 'director'] }]);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.text).toBe('Let me look that up.');
    expect(result.steps[0]?.toolCalls.map((call) => [call.toolName, call.input])).toEqual([
      ['search_values', { value: 'Ava DuVernay', columns: ['name', 'director'] }],
    ]);
    expect(result.text).toBe('Ava DuVernay directed Selma (2014).');
    expect(result.totalUsage.inputTokens).toBe(320);
    expect(result.totalUsage.outputTokens).toBe(28);
    expect(fake.remaining()).toBe(0);
    expect(fake.requests.map((request) => [request.protocol, request.status, request.stepIndex])).toEqual([
      [protocol, 200, 0],
      [protocol, 200, 1],
    ]);
    const second = fake.requests[1]?.call;
    expect(second?.stream).toBe(false);
    expect(second?.toolResults).toEqual([
      {
        toolCallId: expect.any(String),
        toolName: 'search_values',
        text: expect.stringContaining('"title":"Selma"'),
      },
    ]);
    expectNoCredentialSent(fake);
  });

  it('streams text and tool-call arguments in pieces with streamText', async () => {
    const fake = await start(twoStepScenario);
    const calls: unknown[] = [];
    const result = streamText({
      model: model(fake),
      ...prompt,
      tools: { search_values: searchValuesTool(calls) },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    });
    const textDeltas: string[] = [];
    const toolInputDeltas: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') textDeltas.push(part.text);
      if (part.type === 'tool-input-delta') toolInputDeltas.push(part.delta);
      if (part.type === 'error') throw part.error;
    }

    expect(calls).toEqual([{ value: 'Ava DuVernay', columns: ['name', 'director'] }]);
    expect(await result.text).toBe('Ava DuVernay directed Selma (2014).');
    // chunkSize 4 for the answer and 3 for the first step: the text really arrives in pieces.
    expect(textDeltas).toContain('Ava ');
    expect(textDeltas.join('')).toBe('Let me look that up.Ava DuVernay directed Selma (2014).');
    expect(toolInputDeltas.length).toBeGreaterThan(5);
    expect(JSON.parse(toolInputDeltas.join(''))).toEqual({
      value: 'Ava DuVernay',
      columns: ['name', 'director'],
    });
    const usage = await result.totalUsage;
    expect([usage.inputTokens, usage.outputTokens]).toEqual([320, 28]);
    expect(fake.requests.every((request) => request.call?.stream === true)).toBe(true);
    expect(fake.remaining()).toBe(0);
    expectNoCredentialSent(fake);
  });

  it('surfaces a scripted 500 as the SDK APICallError', async () => {
    const fake = await start([{ respond: { error: { status: 500, message: 'The fake model is down' } } }]);
    const failure = await generateText({ model: model(fake), prompt: 'hello', maxRetries: 0 }).catch(
      (error: unknown) => error,
    );

    expect(APICallError.isInstance(failure)).toBe(true);
    const error = failure as APICallError;
    expect(error.statusCode).toBe(500);
    expect(error.message).toContain('The fake model is down');
    expect(error.isRetryable).toBe(true);
    expect(fake.remaining()).toBe(0);
  });

  it('surfaces a scripted 500 in a stream as an APICallError part', async () => {
    const fake = await start([{ respond: { error: { status: 500, message: 'The fake model is down' } } }]);
    const result = streamText({
      model: model(fake),
      prompt: 'hello',
      maxRetries: 0,
      // The error is read from fullStream below; this only keeps the SDK from also logging it.
      onError: () => undefined,
    });
    const errors: unknown[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'error') errors.push(part.error);
    }

    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as APICallError).statusCode).toBe(500);
  });

  it('answers a request that does not match the script with a readable 400', async () => {
    const fake = await start(twoStepScenario);
    const failure = await generateText({
      model: model(fake),
      system: 'You are Osiris.',
      prompt: 'Which films did Spike Lee direct?',
      tools: { search_values: searchValuesTool([]) },
      maxRetries: 0,
    }).catch((error: unknown) => error);

    expect(APICallError.isInstance(failure)).toBe(true);
    const error = failure as APICallError;
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('step 1 of 2 (search)');
    expect(error.message).toContain(
      'expected the last user message to contain "Ava"; it was "Which films did Spike Lee direct?"',
    );
    expect(fake.requests[0]?.mismatch).toBe(error.message);
    expect(fake.remaining()).toBe(2);
  });
});

describe('scenario playback', () => {
  const model = (fake: FakeLlmServer) =>
    createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: API_KEY }).chat('gpt-4o');

  it('captures values from tool results and uses them in later responses', async () => {
    const fake = await start([
      { respond: { toolCalls: [{ name: 'list_connections', arguments: {} }] } },
      {
        capture: { connection: '"(@sqlite\\.[a-z_]+)"' },
        respond: { toolCalls: [{ name: 'discover_schema', arguments: { connection: '{{connection}}' } }] },
      },
      {
        capture: { table: { tool: 'discover_schema', pattern: 'director\\w*' } },
        respond: { text: 'Found {{table}} in {{connection}}; schema: {{tool_result.discover_schema}}' },
      },
    ]);
    const discovered: unknown[] = [];
    const result = await generateText({
      model: model(fake),
      prompt: 'What data do I have?',
      tools: {
        list_connections: tool({
          description: 'List connections',
          inputSchema: z.object({}),
          execute: async () => ({ connections: ['@sqlite.movies'] }),
        }),
        discover_schema: tool({
          description: 'Discover a schema',
          inputSchema: z.object({ connection: z.string() }),
          execute: async (input) => {
            discovered.push(input);
            return 'tables: directors, films';
          },
        }),
      },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    });

    expect(discovered).toEqual([{ connection: '@sqlite.movies' }]);
    expect(result.text).toBe('Found directors in @sqlite.movies; schema: tables: directors, films');
  });

  it('runs several tool calls from one response', async () => {
    const fake = await start([
      {
        respond: {
          toolCalls: [
            { name: 'sample_table', arguments: { table: 'films' } },
            { name: 'sample_table', arguments: { table: 'directors' } },
          ],
        },
      },
      {
        expect: { toolResultContains: { tool: 'sample_table', text: 'directors' } },
        respond: { text: 'Sampled both.' },
      },
    ]);
    const sampled: string[] = [];
    const result = await generateText({
      model: createAnthropic({ baseURL: fake.anthropicBaseUrl, apiKey: API_KEY })('claude-haiku-4-5'),
      prompt: 'Sample my tables',
      tools: {
        sample_table: tool({
          description: 'Sample a table',
          inputSchema: z.object({ table: z.string() }),
          execute: async ({ table }) => {
            sampled.push(table);
            return `10 rows of ${table}`;
          },
        }),
      },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
    });

    expect(sampled.sort()).toEqual(['directors', 'films']);
    expect(result.text).toBe('Sampled both.');
    expect(fake.requests[1]?.call?.toolResults.map((item) => item.text)).toEqual([
      '10 rows of films',
      '10 rows of directors',
    ]);
  });

  it('says so when a request arrives after the script has ended', async () => {
    const fake = await start([{ respond: { text: 'only answer' } }]);
    await generateText({ model: model(fake), prompt: 'one', maxRetries: 0 });
    const failure = await generateText({ model: model(fake), prompt: 'two', maxRetries: 0 }).catch(
      (error: unknown) => error,
    );

    expect((failure as APICallError).statusCode).toBe(400);
    expect((failure as APICallError).message).toContain('all 1 steps were already used');
    expect(fake.requests.map((request) => request.status)).toEqual([200, 400]);
  });

  it('only records mismatches when not strict', async () => {
    const fake = await start(
      [{ expect: { lastUserMessageContains: 'Ava' }, respond: { text: 'answered anyway' } }],
      false,
    );
    const result = await generateText({ model: model(fake), prompt: 'Spike Lee', maxRetries: 0 });

    expect(result.text).toBe('answered anyway');
    expect(fake.requests[0]?.mismatch).toContain('expected the last user message to contain "Ava"');
    expect(fake.remaining()).toBe(0);
  });

  it('reports a capture that finds nothing as a mismatch', async () => {
    const fake = await start([{ capture: { id: 'id=(\\d+)' }, respond: { text: '{{id}}' } }]);
    const failure = await generateText({ model: model(fake), prompt: 'hi', maxRetries: 0 }).catch(
      (error: unknown) => error,
    );

    expect((failure as APICallError).message).toContain(
      'capture "id": the request has no tool result to read',
    );
  });

  it.each([
    [429, 'Slow down', 'rate_limit_exceeded'],
    [401, 'Bad key', 'invalid_api_key'],
  ])('sends a scripted %i in the OpenAI error format', async (status, message, code) => {
    const fake = await start([{ respond: { error: { status, message } } }]);
    const failure = (await generateText({ model: model(fake), prompt: 'hi', maxRetries: 0 }).catch(
      (error: unknown) => error,
    )) as APICallError;

    expect(failure.statusCode).toBe(status);
    expect(failure.message).toBe(message);
    expect(JSON.parse(failure.responseBody ?? '{}')).toMatchObject({ error: { message, code } });
  });

  it('sends a scripted 429 in the Anthropic error format', async () => {
    const fake = await start([{ respond: { error: { status: 429, message: 'Too many requests' } } }]);
    const failure = (await generateText({
      model: createAnthropic({ baseURL: fake.anthropicBaseUrl, apiKey: API_KEY })('claude-haiku-4-5'),
      prompt: 'hi',
      maxRetries: 0,
    }).catch((error: unknown) => error)) as APICallError;

    expect(failure.statusCode).toBe(429);
    expect(JSON.parse(failure.responseBody ?? '{}')).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Too many requests' },
    });
  });
});

describe('server robustness', () => {
  it('answers unknown routes, bad JSON and oversized bodies with errors', async () => {
    server = await startFakeLlmServer({ scenario: [{ respond: { text: 'unused' } }], maxBodyBytes: 1024 });
    const post = (path: string, body: string) =>
      fetch(`${server?.url}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });

    const notFound = await fetch(`${server.url}/v1/models`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { message: string } }).error.message).toContain(
      'no route for GET /v1/models',
    );

    const badJson = await post('/v1/chat/completions', '{"messages": [');
    expect(badJson.status).toBe(400);
    expect(await badJson.text()).toContain('request body is not JSON');

    const notChat = await post('/v1/messages', '{"model": "claude"}');
    expect(notChat.status).toBe(400);
    expect(await notChat.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const tooLarge = await post(
      '/v1/chat/completions',
      JSON.stringify({ messages: [], padding: 'x'.repeat(4096) }),
    );
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain('larger than 1024 bytes');

    expect(server.remaining()).toBe(1);
    expect(server.requests.map((request) => request.status)).toEqual([404, 400, 400, 413]);
  });

  it('serves paths without the /v1 prefix', async () => {
    server = await startFakeLlmServer({ scenario: [{ respond: { text: 'hi there' } }] });
    const model = createOpenAICompatible({ name: 'lmstudio', baseURL: server.url })('local-model');
    const result = await generateText({ model, prompt: 'hi', maxRetries: 0 });
    expect(result.text).toBe('hi there');
  });

  it('closes while a client still holds a connection open', async () => {
    const fake = await startFakeLlmServer({ scenario: [{ respond: { text: 'never sent' } }] });
    const hanging = fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // A body that never ends keeps the request open until the server cuts it.
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"messages": ['));
        },
      }),
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    while (fake.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));

    await fake.close();
    expect(await hanging).toBeInstanceOf(Error);
    await fake.close();
  });

  it('rejects an invalid scenario before listening', async () => {
    await expect(
      startFakeLlmServer({ scenario: [{ respond: { text: 'a', error: { status: 500, message: 'b' } } }] }),
    ).rejects.toMatchObject({
      code: 'E_USAGE',
      message: expect.stringContaining('steps[0].respond.text: an error response cannot also have "text"'),
    });
  });
});
