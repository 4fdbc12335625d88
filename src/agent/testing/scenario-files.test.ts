import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeLlmServer, startFakeLlmServer } from './fake-llm-server.js';
import { loadScenario } from './load-scenario.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const SCENARIO_FOLDER = join(import.meta.dirname, '../../../test/scenarios');

const films = [
  { title: 'Selma', year: 2014, director: 'Ava DuVernay' },
  { title: '13th', year: 2016, director: 'Ava DuVernay' },
  { title: 'Do the Right Thing', year: 1989, director: 'Spike Lee' },
];
const orders = [
  { id: 1, region: 'north', amount: 120 },
  { id: 2, region: 'south', amount: 300 },
  { id: 3, region: 'north', amount: 90 },
  { id: 4, region: 'west', amount: 150 },
];

/** Stand-ins for the agent's tools, answering from the small data sets above. */
function agentTools(called: string[]) {
  const record = <T>(name: string, value: T): T => {
    called.push(name);
    return value;
  };
  return {
    list_connections: tool({
      description: 'List configured connections',
      inputSchema: z.object({}),
      execute: async () => record('list_connections', { connections: ['@sqlite.movies', '@postgres.sales'] }),
    }),
    discover_schema: tool({
      description: 'Discover the tables of a connection',
      inputSchema: z.object({ connection: z.string() }),
      execute: async ({ connection }) =>
        record('discover_schema', {
          connection,
          tables: [
            { name: 'directors', columns: ['id', 'name'] },
            { name: 'films', columns: ['title', 'year', 'director'] },
          ],
        }),
    }),
    search_values: tool({
      description: 'Find a literal value across text columns',
      inputSchema: z.object({ connection: z.string(), value: z.string() }),
      execute: async ({ value }) =>
        record('search_values', {
          matches: films
            .filter((film) => film.director === value)
            .map(({ title, year }) => ({ table: 'films', column: 'director', row: { title, year } })),
        }),
    }),
    sample_table: tool({
      description: 'Sample 10 rows of a table',
      inputSchema: z.object({ table: z.string() }),
      execute: async ({ table }) => record('sample_table', { table, rows: orders.slice(0, 10) }),
    }),
    run_readonly_query: tool({
      description: 'Run a read-only SQL query',
      inputSchema: z.object({ connection: z.string(), sql: z.string() }),
      execute: async ({ sql }) => {
        if (!/GROUP BY region/i.test(sql))
          throw new Error(`this stand-in only answers GROUP BY region, not: ${sql}`);
        const totals = new Map<string, number>();
        for (const order of orders) totals.set(order.region, (totals.get(order.region) ?? 0) + order.amount);
        const rows = [...totals]
          .map(([region, total]) => ({ region, total }))
          .sort((a, b) => b.total - a.total);
        return record('run_readonly_query', { rows });
      },
    }),
  };
}

const providers: { label: string; model: (server: FakeLlmServer) => LanguageModel }[] = [
  {
    label: 'openai chat',
    model: (server) => createOpenAI({ baseURL: server.openaiBaseUrl, apiKey: 'test' }).chat('gpt-4o-mini'),
  },
  {
    label: 'openai responses',
    model: (server) => createOpenAI({ baseURL: server.openaiBaseUrl, apiKey: 'test' })('gpt-4o'),
  },
  {
    label: 'anthropic',
    model: (server) =>
      createAnthropic({ baseURL: server.anthropicBaseUrl, apiKey: 'test' })('claude-sonnet-4-5'),
  },
];

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function play(file: string, label: string, prompt: string) {
  const provider = providers.find((candidate) => candidate.label === label)!;
  server = await startFakeLlmServer({ scenario: await loadScenario(join(SCENARIO_FOLDER, file)) });
  const called: string[] = [];
  const result = streamText({
    model: provider.model(server),
    system: 'You are Osiris. Use the tools to answer from the user data.',
    prompt,
    tools: agentTools(called),
    stopWhen: stepCountIs(8),
    maxRetries: 0,
  });
  for await (const part of result.fullStream) {
    if (part.type === 'error') throw part.error;
  }
  return { text: await result.text, usage: await result.totalUsage, called, server };
}

describe.each(providers.map((provider) => provider.label))('example scenarios over %s', (label) => {
  it('find-ava-duvernay.yaml finds the films through the tools', async () => {
    const run = await play('find-ava-duvernay.yaml', label, 'Which films did Ava DuVernay direct?');

    expect(run.called).toEqual(['list_connections', 'discover_schema', 'search_values']);
    expect(run.text).toBe('Ava DuVernay directed Selma, found in the directors table of @sqlite.movies.');
    expect(run.usage.outputTokens).toBeGreaterThan(18);
    expect(run.server.remaining()).toBe(0);
    expect(run.server.requests.map((request) => request.mismatch)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const lastToolResult = run.server.requests[3]?.call?.toolResults.at(-1);
    expect(lastToolResult?.toolName).toBe('search_values');
  });

  it('sales-by-region.yaml runs two tools in one turn, then a query', async () => {
    const run = await play('sales-by-region.yaml', label, 'Show me total sales by region');

    expect(run.called.slice(0, 2).sort()).toEqual(['list_connections', 'sample_table']);
    expect(run.called[2]).toBe('run_readonly_query');
    expect(run.text).toBe('south leads total sales. Shall I turn this into a pipeline that writes a CSV?');
    expect(run.server.remaining()).toBe(0);
  });
});

describe('scenario files', () => {
  it('every file in test/scenarios is a valid scenario', async () => {
    const files = (await readdir(SCENARIO_FOLDER)).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const scenario = await loadScenario(join(SCENARIO_FOLDER, file));
      expect(scenario.name, file).toBe(file.replace(/\.yaml$/, ''));
    }
  });
});
