import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, startFakeLlmServer } from '../../src/agent/testing/index.js';
import {
  type ChatHarness,
  demoProject,
  fakeModelSettings,
  type ProtocolChoice,
  SCENARIOS,
  startChatHarness,
} from './support/chat-harness.js';

let harness: ChatHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each<ProtocolChoice>(['openai', 'anthropic'])(
  'chat scenarios on the demo DuckDB over %s',
  (protocol) => {
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

      const first = await harness.send(
        'I need to analyze review engagement - show me which reviewers are most active',
      );
      expect(first.outcome).toBe('answered');
      expect(first.text).toContain('Should I count every review');

      const second = await harness.send('Count every review, and include their average rating');
      expect(second.outcome).toBe('proposed');
      expect(second.state).toBe('AWAIT_APPROVAL');
      expect(second.proposal).toMatchObject({ name: 'reviewer-engagement', status: 'pending', revision: 1 });
      expect(second.proposal?.reads).toEqual([
        {
          stepId: 'extract-reviews',
          component: 'duckdb.extractor',
          connection: '@duckdb.movies',
          target: 'table reviews',
        },
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
      expect(third.run?.outputs).toEqual([
        { stepId: 'write-csv', target: 'output/reviewer_engagement.csv', rows: 20 },
      ]);
      const csv = (await readFile(join(projectDir, 'output/reviewer_engagement.csv'), 'utf8'))
        .trim()
        .split('\n');
      expect(csv[0]).toBe('reviewer,reviews,avg_rating,last_review');
      expect(csv).toHaveLength(21);
      const saved = await readFile(join(projectDir, 'pipelines/reviewer-engagement.yaml'), 'utf8');
      expect(saved).toContain('name: reviewer-engagement');
      expect(harness.server.remaining()).toBe(0);

      const approvals = harness.chat.store.events(third.sessionId, 'approval').map((event) => event.data);
      expect(approvals).toEqual([
        expect.objectContaining({ decision: 'approved', by: 'user', pipeline: 'reviewer-engagement' }),
      ]);
    });
  },
);

describe('chat scenarios on the demo DuckDB (OpenAI chat completions)', () => {
  it('adds the obvious data checks to a proposal from discovery: unique + not_null on the key', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-proposal-checks.yaml', projectDir });

    const turn = await harness.send('Export the movies table to CSV');

    expect(turn.outcome).toBe('proposed');
    expect(turn.proposal).toMatchObject({ name: 'movies-export', status: 'pending', revision: 1 });
    const oml = turn.proposal?.oml ?? '';
    expect(oml).toContain('checks:');
    expect(oml).toContain('- { unique: [ id ] }');
    expect(oml).toContain('- { not_null: [ id ] }');
    expect(oml).toContain('- { row_count: { min: 1 } }');
    expect(harness.statusLines().at(-1)).toBe('proposing pipeline… movies-export (awaiting approval)');
    expect(harness.server.remaining()).toBe(0);
  });

  it("regenerates an invalid pipeline once with the validator's errors, then shows the valid one", async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-invalid-oml-regenerated.yaml', projectDir });

    const turn = await harness.send('Export all directors to a CSV file');

    expect(turn.outcome).toBe('proposed');
    expect(turn.proposal).toMatchObject({ name: 'directors-export', revision: 1 });
    expect(turn.proposal?.oml).toContain('filesystem.csv_writer');
    const lines = harness.statusLines();
    expect(lines[0]).toMatch(/^proposing pipeline… invalid: \d+ errors?$/);
    expect(lines[1]).toBe('proposing pipeline… directors-export (awaiting approval)');
    const states = harness.events.flatMap((event) => (event.type === 'state' ? [event.to] : []));
    expect(states).toEqual([
      'INTENT_CAPTURED',
      'OML_SYNTHESIS',
      'VALIDATE',
      'OML_SYNTHESIS',
      'VALIDATE',
      'AWAIT_APPROVAL',
    ]);
    // The errors the model got back name the problems with hints.
    const fix = harness.server.requests[1]?.call?.toolResults.at(-1)?.text ?? '';
    expect(fix).toContain('csv_writter');
    expect(fix).toContain('file');
    expect(harness.server.remaining()).toBe(0);
  });

  it('reports a second invalid pipeline to the user, and the conversation goes on', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-invalid-oml-twice.yaml', projectDir });

    const failed = await harness.send('Export the movies');
    expect(failed.outcome).toBe('failed');
    expect(failed.state).toBe('ERROR');
    expect(failed.error?.code).toBe('E_INVALID_OML');
    expect(failed.proposal).toBeUndefined();
    const notice = harness.events.find((event) => event.type === 'notice' && event.level === 'error');
    expect(notice).toMatchObject({ text: expect.stringContaining('could not write a valid pipeline') });
    expect(notice?.type === 'notice' && notice.text).toContain('tables');
    // Exactly two model calls: the loop stopped instead of asking the model a third time.
    expect(harness.server.requests).toHaveLength(2);

    const recovered = await harness.send('Use the table movies and write output/movies.csv');
    expect(recovered.outcome).toBe('proposed');
    expect(recovered.state).toBe('AWAIT_APPROVAL');
    expect(harness.server.remaining()).toBe(0);
  });

  it('tells the user about a provider error mid-turn and continues from where it stopped on "retry"', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-provider-error-recovery.yaml', projectDir });

    const failed = await harness.send('How many movies are there?');
    expect(failed.outcome).toBe('failed');
    expect(failed.state).toBe('ERROR');
    expect(failed.error).toMatchObject({ code: 'E_PROVIDER_FAILED' });
    expect(failed.error?.message).toContain('HTTP 500');
    expect(failed.error?.message).toContain('The server had an error');
    expect(harness.events).toContainEqual(expect.objectContaining({ type: 'notice', level: 'error' }));

    const retried = await harness.send('retry');
    expect(retried.error).toBeUndefined();
    expect(retried.text).toBe('There are 150 movies in @duckdb.movies.');
    expect(harness.server.remaining()).toBe(0);
  });

  it('falls back to the configured second model when the first provider fails', async () => {
    const projectDir = await demoProject();
    const server = await startFakeLlmServer({
      scenario: await loadScenario(join(SCENARIOS, 'agent-provider-fallback.yaml')),
    });
    try {
      harness = await startChatHarness({
        scenario: 'agent-provider-fallback.yaml',
        projectDir,
        server,
        settings: { fallback: fakeModelSettings(server, 'anthropic') },
      });
      const turn = await harness.send('hello');
      expect(turn.error).toBeUndefined();
      expect(turn.text).toBe('Hello from the fallback model. Ask me about your data.');
      expect(harness.events).toContainEqual(
        expect.objectContaining({
          type: 'notice',
          level: 'warning',
          text: expect.stringContaining('trying the fallback model anthropic/claude-sonnet-4-5'),
        }),
      );
      expect(server.requests.map((request) => request.protocol)).toEqual([
        'openai-chat',
        'anthropic-messages',
      ]);
    } finally {
      await server.close();
    }
  });

  it('discards a rejected proposal without running anything, then shows a revision with a diff', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-rejected-proposal.yaml', projectDir });

    const proposed = await harness.send('Export the actors to CSV');
    expect(proposed.outcome).toBe('proposed');

    const rejected = await harness.send('reject');
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.state).toBe('INTENT_CAPTURED');
    expect(rejected.proposal).toBeUndefined();
    expect(harness.server.requests).toHaveLength(2);
    expect(existsSync(join(projectDir, 'pipelines/actors-export.yaml'))).toBe(false);
    expect(existsSync(join(projectDir, 'output/actors.csv'))).toBe(false);
    const decisions = harness.chat.store
      .events(rejected.sessionId, 'approval')
      .map((event) => event.data.decision);
    expect(decisions).toEqual(['rejected']);

    const revised = await harness.send('Write it as Parquet instead');
    expect(revised.outcome).toBe('proposed');
    expect(revised.proposal?.revision).toBe(2);
    expect(revised.proposal?.previousOml).toContain('output/actors.csv');
    expect(revised.proposal?.oml).toContain('output/actors.parquet');
    expect(harness.server.remaining()).toBe(0);
  });

  it('a question is not consent: "looks good?", "approve?" and "I think so" are answered, only "approve" runs', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-question-is-not-consent.yaml', projectDir });
    const proposed = await harness.send('Count the movies per genres into a CSV');
    expect(proposed.outcome).toBe('proposed');

    for (const [message, answer] of [
      ['looks good?', 'reads only the movies table'],
      ['approve?', 'overwrites output/genre_counts.csv'],
      ['I think so', 'nothing runs until you approve'],
    ] as const) {
      const noticesBefore = harness.events.filter((event) => event.type === 'notice').length;
      const turn = await harness.send(message);
      expect(turn.outcome, message).toBe('answered');
      expect(turn.text, message).toContain(answer);
      expect(turn.state, message).toBe('AWAIT_APPROVAL');
      expect(turn.proposal, message).toMatchObject({ name: 'genre-counts', status: 'pending', revision: 1 });
      const reminder = harness.events
        .slice(noticesBefore)
        .filter((event) => event.type === 'notice')
        .at(-1);
      expect(reminder, message).toMatchObject({
        text: expect.stringContaining('Nothing ran: a question is not an approval.'),
        hint: expect.stringContaining('"approve"'),
      });
      expect(existsSync(join(projectDir, 'pipelines/genre-counts.yaml')), message).toBe(false);
      expect(existsSync(join(projectDir, 'output/genre_counts.csv')), message).toBe(false);
      expect(harness.chat.store.events(turn.sessionId, 'approval'), message).toEqual([]);
    }
    expect(harness.events.some((event) => event.type.startsWith('run-'))).toBe(false);

    const ran = await harness.send('approve');
    expect(ran.outcome).toBe('ran');
    expect(harness.server.remaining()).toBe(0);
    expect(harness.server.requests).toHaveLength(5);
    const csv = await readFile(join(projectDir, 'output/genre_counts.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('genre,movies');
    const approvals = harness.chat.store.events(ran.sessionId, 'approval').map((event) => event.data);
    expect(approvals).toEqual([
      expect.objectContaining({ decision: 'approved', by: 'user', message: 'approve' }),
    ]);
  });

  it('resumes a session in a new process exactly where it stood, and runs the approved pipeline there', async () => {
    const projectDir = await demoProject();
    const server = await startFakeLlmServer({
      scenario: await loadScenario(join(SCENARIOS, 'agent-resumed-session.yaml')),
    });
    try {
      const first = await startChatHarness({ scenario: 'agent-resumed-session.yaml', projectDir, server });
      const proposed = await first.send('Count the movies per genres into a CSV');
      expect(proposed.outcome).toBe('proposed');
      await first.close();

      harness = await startChatHarness({ scenario: 'agent-resumed-session.yaml', projectDir, server });
      expect(harness.chat.resumed).toBe(true);
      expect(harness.chat.session.id).toBe(proposed.sessionId);
      expect(harness.chat.session.state).toBe('AWAIT_APPROVAL');
      expect(harness.chat.session.proposal).toMatchObject({ name: 'genre-counts', status: 'pending' });

      const answered = await harness.send('where does it write?');
      expect(answered.text).toContain('output/genre_counts.csv');
      expect(answered.state).toBe('AWAIT_APPROVAL');

      const ran = await harness.send('approve');
      expect(ran.outcome).toBe('ran');
      const csv = await readFile(join(projectDir, 'output/genre_counts.csv'), 'utf8');
      expect(csv.split('\n')[0]).toBe('genre,movies');
      expect(server.remaining()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('FAST: tells the model to assume, without sending the prefix; --yes approves and runs at once', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-fast-mode.yaml', projectDir, autoApprove: true });

    const turn = await harness.send('FAST: top rated movies to CSV');

    const sent = harness.server.requests[0]?.call?.messages.at(-1)?.text;
    expect(sent).toBe('top rated movies to CSV');
    expect(turn.outcome).toBe('ran');
    expect(turn.run?.outputs).toEqual([
      { stepId: 'write-csv', target: 'output/top_rated_movies.csv', rows: 10 },
    ]);
    const approvals = harness.chat.store.events(turn.sessionId, 'approval').map((event) => event.data);
    expect(approvals).toEqual([expect.objectContaining({ decision: 'approved', by: 'auto (--yes)' })]);
    expect(harness.server.remaining()).toBe(0);
  });

  it('tells the user about failed tool calls and lets the model recover in the same turn', async () => {
    const projectDir = await demoProject();
    harness = await startChatHarness({ scenario: 'agent-tool-failure-recovery.yaml', projectDir });

    const turn = await harness.send('Show me a sample of the movies');

    expect(turn.error).toBeUndefined();
    expect(turn.text).toContain('Selma');
    const failed = harness.events.filter((event) => event.type === 'tool-end' && !event.ok);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({
      tool: 'discover_schema',
      summary: expect.stringContaining('@mysql.films is not defined'),
    });
    expect(failed[1]).toMatchObject({
      tool: 'sample_table',
      summary: expect.stringContaining('invalid arguments'),
    });
    expect(harness.statusLines().at(-1)).toBe('sampling movies… 3 rows');
    // The model got the error with its hint, so it could pick the right connection.
    const result = harness.server.requests[1]?.call?.toolResults.find(
      (entry) => entry.toolName === 'discover_schema',
    )?.text;
    expect(result).toContain('defined: @duckdb.movies');
    expect(harness.server.remaining()).toBe(0);
  });

  it('cancels a turn while a tool runs (Ctrl-C), keeps the session usable, and "retry" resends it', async () => {
    const projectDir = await demoProject();
    const controller = new AbortController();
    harness = await startChatHarness({
      scenario: 'agent-cancelled-turn.yaml',
      projectDir,
      // Ctrl-C while the discovery runs.
      onEvent: (event) => {
        if (event.type === 'tool-start') controller.abort();
      },
    });

    const cancelled = await harness.chat.agent.send('Which tables are there?', { signal: controller.signal });
    expect(cancelled.outcome).toBe('cancelled');
    expect(harness.chat.session.interruptedTurn).toBe(true);

    const retried = await harness.send('retry');
    expect(retried.text).toBe('The movies database has five tables.');
    expect(harness.server.remaining()).toBe(0);
  });
});
