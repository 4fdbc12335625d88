import { afterEach, describe, expect, it } from 'vitest';
import { type ChatHarness, demoProject, type ProtocolChoice, startChatHarness } from './support/chat-harness.js';

let harness: ChatHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each<ProtocolChoice>(['openai', 'anthropic'])('chat scenarios on the demo DuckDB over %s', (protocol) => {
  it('finds director Ava DuVernay: discovery → search → answer with Selma → next actions', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-find-ava-duvernay.yaml', projectDir, protocol });

    const turn = await harness.send('Find Director Ava DuVernay');

    expect(turn.error).toBeUndefined();
    expect(turn.outcome).toBe('answered');
    expect(turn.text).toContain('Selma');
    expect(turn.text).toContain('born 1972, American, 8 awards');
    expect(turn.text).toMatch(/pipeline that exports/);
    expect(harness.statusLines()).toEqual([
      'listing connections… 1 connection (@duckdb.movies)',
      'discovering @duckdb.movies… 5 tables (actors, directors, movie_actors, movies, reviews)',
      'searching @duckdb.movies for "Ava DuVernay"… 1 match in directors.name',
    ]);
    expect(harness.server.remaining()).toBe(0);
    expect(turn.state).toBe('DISCOVERY');

    // Token usage and latency are recorded per model call.
    const metrics = harness.chat.store.events(turn.sessionId, 'metric').map((event) => event.data);
    const calls = metrics.filter((metric) => metric.kind === 'llm_call');
    expect(calls).toHaveLength(4);
    expect(calls.at(-1)).toMatchObject({ input_tokens: 2400, output_tokens: 64 });
    expect(calls.every((call) => typeof call.latency_ms === 'number')).toBe(true);
    expect(metrics.find((metric) => metric.kind === 'turn')).toMatchObject({ model_calls: 4 });
  });
});
