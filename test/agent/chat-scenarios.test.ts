import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

  it('the user journey: engagement question → clarification → proposal → "Perfect, run it!" → CSV with rows', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-reviewer-engagement.yaml', projectDir, protocol });

    const first = await harness.send('I need to analyze review engagement - show me which reviewers are most active');
    expect(first.outcome).toBe('answered');
    expect(first.text).toContain('Should I count every review');

    const second = await harness.send('Count every review, and include their average rating');
    expect(second.outcome).toBe('proposed');
    expect(second.state).toBe('AWAIT_APPROVAL');
    expect(second.proposal).toMatchObject({ name: 'reviewer-engagement', status: 'pending', revision: 1 });
    expect(second.proposal?.reads).toEqual([
      { stepId: 'extract-reviews', component: 'duckdb.extractor', connection: '@duckdb.movies', target: 'table reviews' },
    ]);
    expect(second.proposal?.writes).toEqual([
      { stepId: 'write-csv', component: 'filesystem.csv_writer', target: 'output/reviewer_engagement.csv' },
    ]);
    expect(harness.events.some((event) => event.type === 'proposal')).toBe(true);

    const third = await harness.send('Perfect, run it!');
    expect(third.error).toBeUndefined();
    expect(third.outcome).toBe('ran');
    expect(third.state).toBe('COMPLETE');
    expect(third.run).toMatchObject({ status: 'success', file: 'pipelines/reviewer-engagement.yaml' });
    expect(third.run?.outputs).toEqual([{ stepId: 'write-csv', target: 'output/reviewer_engagement.csv', rows: 20 }]);
    const csv = (await readFile(join(projectDir, 'output/reviewer_engagement.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('reviewer,reviews,avg_rating,last_review');
    expect(csv).toHaveLength(21);
    const saved = await readFile(join(projectDir, 'pipelines/reviewer-engagement.yaml'), 'utf8');
    expect(saved).toContain('name: reviewer-engagement');
    expect(harness.server.remaining()).toBe(0);

    const approvals = harness.chat.store.events(third.sessionId, 'approval').map((event) => event.data);
    expect(approvals).toEqual([expect.objectContaining({ decision: 'approved', by: 'user', pipeline: 'reviewer-engagement' })]);
  });
});
